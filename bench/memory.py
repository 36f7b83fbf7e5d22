"""Peak resident memory of a process and its descendants (Linux ``/proc``), sampled in a thread.

For each process the peak is the larger of the kernel's own high-water mark (``VmHWM``) and
the largest ``VmRSS`` sampled, read every ``interval`` seconds while it lives (a process that
lives less than that may be missed; pipeline workers live for the whole run).
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from typing import Dict, List, NamedTuple, Optional, Sequence

#: What a worker process's command line names: our wrapper (``pipelines/worker.py``) or Beam's own main; and
#: the size under which such a process is only the shell that starts it.
WORKER_MODULES = ("pipelines.worker", "sdk_worker_main")
MIN_WORKER_MIB = 50
#: What the command line of a process that runs one chunk's pipeline names (``pipelines.chunks``: spawned by
#: ``multiprocessing``, whose resource tracker is not one).
CHUNK_PROCESS = "spawn_main"


def _status(pid: int) -> Dict[str, str]:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            return dict(line.split(":", 1) for line in handle if ":" in line)
    except OSError:
        return {}


def _kib(value: str) -> int:
    return int(value.split()[0]) if value else 0


def _parents() -> Dict[int, int]:
    """``{pid: parent pid}`` of every process, from ``/proc/<pid>/stat``."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    return parents


class TreeMemory(threading.Thread):
    """Samples ``root`` and its descendants until :meth:`stop`; ``peaks`` is {pid: (command, MiB)}."""

    def __init__(self, root: int, interval: float = 1.0, *, timeline: bool = False):
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peaks: Dict[int, tuple] = {}
        #: ``(time.time(), pid, current RSS in MiB)`` of every sample, when asked for
        self.timeline: Optional[List[tuple]] = [] if timeline else None
        self._done = threading.Event()

    def run(self):
        while not self._done.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self):
        children: Dict[int, List[int]] = {}
        for pid, parent in _parents().items():
            children.setdefault(parent, []).append(pid)
        pending = [self.root]
        while pending:
            pid = pending.pop()
            pending += children.get(pid, [])
            status = _status(pid)
            if not status:
                continue
            current = _kib(status.get("VmRSS", "")) / 1024
            peak = max(_kib(status.get("VmHWM", "")) / 1024, current)
            if self.timeline is not None:
                self.timeline.append((time.time(), pid, current))
            command = self.peaks.get(pid, (None, 0))[0] or _command(pid)
            self.peaks[pid] = (command, max(peak, self.peaks.get(pid, (None, 0))[1]))

    def stop(self):
        self._done.set()
        self.join()


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""


class Watched(NamedTuple):
    """A finished command run by :func:`run_watched`."""
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    monitor: TreeMemory
    pid: int

    @property
    def launcher_mib(self) -> float:
        return self.monitor.peaks.get(self.pid, ("", 0.0))[1]

    def worker_pids(self) -> List[int]:
        """The pipeline workers among the command's descendants (:data:`WORKER_MODULES`)."""
        return sorted(pid for pid, (command, mib) in self.monitor.peaks.items()
                      if any(module in command for module in WORKER_MODULES) and mib > MIN_WORKER_MIB)

    def chunk_pids(self) -> List[int]:
        """The processes that each ran a chunk's pipeline, in the order they started."""
        return sorted((pid for pid, (command, _mib) in self.monitor.peaks.items() if CHUNK_PROCESS in command),
                      key=self.first_seen)

    def first_seen(self, pid: int) -> float:
        return min((moment for moment, seen, _mib in self.monitor.timeline or [] if seen == pid), default=0.0)


def run_watched(command: Sequence[str], *, cwd: Optional[str] = None, interval: float = 1.0,
                timeline: bool = False) -> Watched:
    """Run ``command`` to its end while a :class:`TreeMemory` samples it and its descendants."""
    start = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    monitor = TreeMemory(process.pid, interval=interval, timeline=timeline)
    monitor.start()
    stdout, stderr = process.communicate()
    monitor.stop()
    return Watched(process.returncode, stdout, stderr, time.perf_counter() - start, monitor, process.pid)
