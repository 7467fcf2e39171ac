"""The sign-in limit: attempts per user name and per client address within a window."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

LOGIN_LIMIT = 5                    # sign-in attempts (a success takes its own back) ...
LOGIN_WINDOW = 15 * 60             # ... within this many seconds lock the name and the address out
LOGIN_KEYS = 10_000                # names and addresses the throttle remembers at most


class LoginThrottle:
    """Sign-in attempts per user name and per client address, counted *before* the password is checked:
    ``attempt`` checks and counts in one step under a lock, so parallel requests cannot all slip in before
    the first failure is recorded. ``limit`` attempts within ``window`` seconds refuse further tries until the
    oldest leaves the window. A success takes back its own attempt (signing in often never locks anyone
    out) but does not forgive the failures before it: a valid account cannot reset the count for others.

    The table is bounded: at most ``max_keys`` names and addresses; past that the least recently tried key
    that is not locked out is forgotten (a locked-out key only when every key is locked out).
    ``clock`` gives the time in seconds (time.monotonic; the tests give their own)."""

    def __init__(self, limit: int = LOGIN_LIMIT, window: float = LOGIN_WINDOW, *, clock=time.monotonic,
                 max_keys: int = LOGIN_KEYS):
        self.limit, self.window, self.clock, self.max_keys = limit, window, clock, max_keys
        self.attempts: OrderedDict[str, deque] = OrderedDict()     # oldest tried first
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.attempts)

    def _recent(self, key: str, now: float) -> deque | None:
        times = self.attempts.get(key)
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    def attempt(self, *keys: str) -> float:
        """0 when these keys may try now (one attempt is counted for each), else the seconds to wait
        (and nothing is counted)."""
        with self.lock:
            now = self.clock()
            waits = [self.window - (now - times[0]) for times in (self._recent(key, now) for key in keys)
                     if times and len(times) >= self.limit]
            if waits:
                return max(waits)
            for key in keys:
                times = self.attempts.pop(key, None) or deque()
                times.append(now)
                self.attempts[key] = times
            self._bound(now)
            return 0.0

    def succeeded(self, *keys: str) -> None:
        """The attempt just counted for these keys was a success: it no longer counts."""
        with self.lock:
            for key in keys:
                times = self.attempts.get(key)
                if times:
                    times.pop()
                    if not times:
                        del self.attempts[key]

    def _bound(self, now: float) -> None:
        while len(self.attempts) > self.max_keys:
            victim = next((key for key in self.attempts
                           if len(self._recent(key, now) or ()) < self.limit), None)
            self.attempts.pop(victim if victim is not None else next(iter(self.attempts)))
