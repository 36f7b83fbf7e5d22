"""Peak resident memory of a process and its descendants (Linux ``/proc``), sampled in a thread.

For each process the peak is the larger of the kernel's own high-water mark (``VmHWM``) and
the largest ``VmRSS`` sampled, read every ``interval`` seconds while it lives.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Dict, List


def _status(pid: int) -> Dict[str, str]:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            return dict(line.split(":", 1) for line in handle if ":" in line)
    except OSError:
        return {}


def _kib(value: str) -> int:
    return int(value.split()[0]) if value else 0


def _children(pid: int) -> List[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="utf-8") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


class TreeMemory(threading.Thread):
    """Samples ``root`` and its descendants until :meth:`stop`; ``peaks`` is {pid: (command, MiB)}."""

    def __init__(self, root: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peaks: Dict[int, tuple] = {}
        self._done = threading.Event()

    def run(self):
        while not self._done.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self):
        pending, seen = [self.root], set()
        while pending:
            pid = pending.pop()
            if pid in seen:
                continue
            seen.add(pid)
            status = _status(pid)
            if not status:
                continue
            peak = max(_kib(status.get("VmHWM", "")), _kib(status.get("VmRSS", ""))) / 1024
            command = self.peaks.get(pid, (None, 0))[0] or _command(pid)
            self.peaks[pid] = (command, max(peak, self.peaks.get(pid, (None, 0))[1]))
            pending += _children(pid)

    def stop(self):
        self._done.set()
        self.join()


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""
