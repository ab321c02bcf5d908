"""Login throttling: after 5 failures for one username from one address within 15 minutes,
further attempts are refused (HTTP 429) until the oldest failure leaves the window.

Process-local (a dict in memory): with several server processes each counts on its own, so the
effective limit is 5 × processes; a restart forgets the failures. Acceptable for one county
bureau's single `caseflow serve`; a shared store is needed before running several workers.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    def __init__(self, *, max_failures: int = MAX_FAILURES, window_seconds: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures, self.window, self.clock = max_failures, window_seconds, clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        q = self._failures.get(key)
        if q is None:
            return deque()
        cutoff = self.clock() - self.window
        while q and q[0] <= cutoff:
            q.popleft()
        if not q:
            self._failures.pop(key, None)
        return q

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        key = (username.strip().lower(), ip)
        with self._lock:
            q = self._recent(key)
            if len(q) < self.max_failures:
                return 0
            return max(1, int(q[0] + self.window - self.clock()) + 1)

    def failed(self, username: str, ip: str) -> None:
        key = (username.strip().lower(), ip)
        with self._lock:
            self._recent(key)
            self._failures.setdefault(key, deque()).append(self.clock())

    def succeeded(self, username: str, ip: str) -> None:
        with self._lock:
            self._failures.pop((username.strip().lower(), ip), None)
