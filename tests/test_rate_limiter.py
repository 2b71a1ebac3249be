"""The per-member limit remembers only members who acted in the last minute."""

from __future__ import annotations

import pytest

from bot.domain.limits import RateLimiter
from bot.errors import UserError

GUILD = "discord:1"


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_members_idle_for_a_minute_are_forgotten() -> None:
    clock = Monotonic()
    limiter = RateLimiter(3, monotonic=clock)
    for user in range(1000):
        limiter.check(GUILD, str(user))
    assert len(limiter) == 1000
    clock.now += 60
    limiter.check(GUILD, str(5000))
    assert len(limiter) == 1  # only the member acting now
    clock.now += 59
    limiter.check("slack:T1", "5000")
    assert len(limiter) == 2  # the first is still inside its minute


def test_forgetting_idle_members_keeps_the_limit_of_active_ones() -> None:
    clock = Monotonic()
    limiter = RateLimiter(2, monotonic=clock)
    limiter.check(GUILD, str(1))
    clock.now += 30
    limiter.check(GUILD, str(1))
    with pytest.raises(UserError):
        limiter.check(GUILD, str(1))  # refused: it touched the member but counted nothing
    clock.now += 31  # the first action is over a minute old, the second is not
    limiter.check(GUILD, str(2))
    limiter.check(GUILD, str(1))
    with pytest.raises(UserError):
        limiter.check(GUILD, str(1))
    clock.now += 120
    limiter.check(GUILD, str(3))
    assert len(limiter) == 1
