"""Stopping a long-running command cleanly on SIGTERM or SIGINT (no Beam).

:class:`StopSignals` turns the two signals into a request to stop. Between two pieces of work it only sets
an event the command waits on. During a piece of work that may be abandoned (a ``newsevents watch`` tick)
it abandons it at once, by raising :class:`Stopped` in the main thread, unless the work has entered a
:func:`critical_section` (publishing a run: from its commit point on), after which it lets the work finish:
the signal is remembered and the command stops after it.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator, Optional

_CRITICAL = threading.local()


class Stopped(BaseException):
    """The work in progress was abandoned on a stop signal (a BaseException: no ``except Exception``
    handler takes it for the work's own failure)."""


def critical_section_entered() -> bool:
    """Whether the work in progress has entered a critical section (since :meth:`StopSignals.abandonable`)."""
    return getattr(_CRITICAL, "entered", False)


@contextlib.contextmanager
def critical_section() -> Iterator[None]:
    """Work a stop signal must not interrupt; nor, once it is entered, the rest of the abandonable work it is part
    of (a run that has passed its commit point ends as published, and is reported as such)."""
    _CRITICAL.entered = True
    yield


class StopSignals:
    """SIGTERM and SIGINT, as a request to stop: ``requested`` (an event) and ``name`` (which signal)."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self):
        self.requested = threading.Event()
        self.name: Optional[str] = None
        self._abandonable = False

    def install(self) -> "StopSignals":
        for number in self.SIGNALS:
            signal.signal(number, self._handle)
        return self

    def _handle(self, number, _frame) -> None:
        self.name = signal.Signals(number).name
        self.requested.set()
        if self._abandonable and not critical_section_entered():
            self._abandonable = False   # raised once: the work's own clean-up is not interrupted again
            raise Stopped(self.name)

    @contextlib.contextmanager
    def abandonable(self) -> Iterator[None]:
        """Work that a stop signal abandons (raising :class:`Stopped`), outside its critical sections."""
        if self.requested.is_set():
            raise Stopped(self.name)
        _CRITICAL.entered = False
        self._abandonable = True
        try:
            yield
        finally:
            self._abandonable = False

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds``, or less if a stop is requested; whether one was."""
        return self.requested.wait(max(0.0, seconds))
