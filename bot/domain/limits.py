"""The per-member limit on actions that write, the same on every platform."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from bot.errors import UserError


class RateLimiter:
    """At most `limit` member actions that write, per member and community in any 60 seconds.

    Members are kept in order of their last action, so those idle for a minute fall off the
    front: memory follows the members active in the last minute, not everyone ever seen, and
    each check forgets the idle ones it meets first (work shared out across the checks).
    """

    WINDOW = 60.0

    def __init__(self, limit: int, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._monotonic = monotonic
        self._recent: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()

    def __len__(self) -> int:
        """How many members the limiter currently remembers."""
        return len(self._recent)

    def check(self, community_id: str, user_id: str) -> None:
        now = self._monotonic()
        key = (community_id, user_id)
        recent = self._recent.pop(key, None)
        if recent is None:
            recent = deque()
        self._recent[key] = recent  # now the most recently active
        while recent and now - recent[0] >= self.WINDOW:
            recent.popleft()
        self._forget_idle(now)
        if len(recent) >= self.limit:
            raise UserError(
                "too_many_commands",
                limit=self.limit,
                seconds=max(1, round(self.WINDOW - (now - recent[0]))),
            )
        recent.append(now)

    def _forget_idle(self, now: float) -> None:
        # The front was active longest ago; stop at the first member still inside the window.
        # The member acting now is last, so it is never dropped while others remain.
        while len(self._recent) > 1:
            recent = next(iter(self._recent.values()))
            if recent and now - recent[-1] < self.WINDOW:
                return
            self._recent.popitem(last=False)
