"""Beam metrics of a run: counters and stage timings under one namespace, and reading them back."""
from __future__ import annotations

import logging
import time

from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter

from transforms.common.progress import note

NAMESPACE = "newsevents"
LOG = logging.getLogger("newsevents")


def count(name: str, value: int = 1) -> None:
    """Add ``value`` to the counter ``name`` (inside a step), and to the run's progress tally."""
    Metrics.counter(NAMESPACE, name).inc(value)
    note(name, value)


def count_reject(stage: str, reason: str) -> None:
    """One more reject of ``stage`` for ``reason`` (counter ``rejects.<stage>.<reason>``)."""
    count(f"rejects.{stage}.{reason}")


#: A worker process's start-up seconds not reported yet (``note_start_seconds``).
_START: list = []


def note_start_seconds(seconds: float) -> None:
    """The seconds a worker process took to start (interpreter, imports) before it could take a bundle: the
    first timed step it runs reports them as the ``start`` stage (metrics count only inside a bundle)."""
    _START.append(seconds)


class stage_timer:
    """Adds the time spent in a block to the ``stage_ms.<stage>`` distribution (milliseconds), less what the
    block sets apart for another stage (``set_apart``); the first one of a worker process also reports the
    process's start-up (``note_start_seconds``)."""

    def __init__(self, stage: str):
        self.metric = Metrics.distribution(NAMESPACE, f"stage_ms.{stage}")
        self.apart = 0.0
        while _START:
            add_stage_seconds("start", _START.pop())

    def __enter__(self) -> "stage_timer":
        self.start = time.perf_counter()
        return self

    def set_apart(self, stage: str, seconds: float) -> None:
        """Count ``seconds`` of this block to ``stage`` instead of the block's own."""
        if seconds:
            add_stage_seconds(stage, seconds)
            self.apart += seconds

    def __exit__(self, *exc_info):
        self.metric.update(round((time.perf_counter() - self.start - self.apart) * 1000))


def add_stage_seconds(stage: str, seconds: float) -> None:
    """Add ``seconds`` spent outside a step's own elements (a worker's model loading) to ``stage_ms.<stage>``."""
    Metrics.distribution(NAMESPACE, f"stage_ms.{stage}").update(round(seconds * 1000))


def flush_stage_seconds(stage: str, seconds: float) -> float:
    """Report ``seconds`` held back from outside a bundle (a load in ``setup``) to ``stage``, if any, now that
    a bundle runs; returns what is left to report (nothing)."""
    if seconds:
        add_stage_seconds(stage, seconds)
    return 0.0


def read_counters(result) -> dict:
    """A finished run's counters by name, and ``stage_seconds`` from the stage timings.

    Empty when the runner reports no metrics (the DaskRunner).
    """
    try:
        found = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))
    except Exception as exc:  # noqa: BLE001 - some runners do not report metrics
        LOG.warning("could not read Beam metrics: %s", exc)
        return {}
    totals: dict = {}
    for counter in found["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + (value or 0)
    stages: dict = {}
    for distribution in found.get("distributions", []):
        value = distribution.committed or distribution.attempted
        name = distribution.key.metric.name
        if value is not None and name.startswith("stage_ms."):
            stage = name.split(".", 1)[1]
            stages[stage] = round(stages.get(stage, 0) + value.sum / 1000, 2)
    if stages:
        totals["stage_seconds"] = stages
    return totals


def add_counters(totals: dict, more: dict) -> dict:
    """Two runs' :func:`read_counters` added up (a run cut into chunks runs several pipelines)."""
    added = dict(totals)
    for name, value in more.items():
        if name == "stage_seconds":
            stages = dict(added.get(name, {}))
            for stage, seconds in value.items():
                stages[stage] = round(stages.get(stage, 0) + seconds, 2)
            added[name] = stages
        else:
            added[name] = added.get(name, 0) + value
    return added
