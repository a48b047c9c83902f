"""Peak resident memory of this process and of its worker processes, sampled in a thread.

The sampling itself costs CPU (psutil reads /proc every 20 ms): `cpu` is that thread's own CPU
time, for benchmarks that report the CPU time of what they measure."""
from __future__ import annotations

import threading
import time

import psutil


class PeakRSS:
    """with PeakRSS() as m: ...  →  m.parent (bytes, this process), m.child (largest worker)."""

    def __init__(self, interval: float = 0.02):
        self.proc = psutil.Process()
        self.parent = self.proc.memory_info().rss
        self.child = 0
        self.cpu = 0.0   # CPU seconds of the sampling thread itself
        self.interval = interval
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    @property
    def peak(self) -> int:
        return self.parent

    def _sample(self):
        try:
            self.parent = max(self.parent, self.proc.memory_info().rss)
            for c in self.proc.children(recursive=True):
                try:
                    self.child = max(self.child, c.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass

    def _run(self):
        t0 = time.thread_time()
        while not self._stop.is_set():
            self._sample()
            time.sleep(self.interval)
        self.cpu = time.thread_time() - t0

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self._sample()
