"""Thin Beam entry points of newsevents.

Importing Beam logs "apitools not found..." on the root logger when the optional Google
Cloud client libraries are absent; that says nothing about a newsevents run, so this
package filters exactly that message out before any entry point imports Beam.
"""
import logging


def _not_the_apitools_notice(record: logging.LogRecord) -> bool:
    return "apitools not found" not in str(record.msg)


logging.getLogger().addFilter(_not_the_apitools_notice)
