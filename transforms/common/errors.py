"""Errors every room may raise."""


class UsageError(Exception):
    """A command-line mistake. The message is one line, for the user."""
