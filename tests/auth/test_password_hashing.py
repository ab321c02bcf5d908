"""argon2id's memory is bounded under a burst of logins: at most HASHES_AT_ONCE hashes or checks run at
a time in a process (each holds 64 MiB while it runs); the others wait their turn and all complete."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from caseflow.auth import passwords


def test_a_burst_of_logins_runs_at_most_two_checks_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = passwords.hash_password("正确的密码abc123")
    passwords._dummy_hash()  # made once per process, before the checks
    hasher = passwords._hasher
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)  # as the module states
    lock, running, peak = threading.Lock(), [0], [0]

    def counted(hash_: str, password: str) -> bool:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            time.sleep(0.02)  # long enough for the others to arrive while it runs
            return hasher.verify(hash_, password)
        finally:
            with lock:
                running[0] -= 1

    class Counting:
        verify = staticmethod(counted)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda i: passwords.verify_password(stored, "正确的密码abc123" if i % 2 else "错"),
                                range(12)))
    assert results == [bool(i % 2) for i in range(12)]  # every one answered, rightly
    assert peak[0] == passwords.HASHES_AT_ONCE == 2
