import asyncio

from bot.discordbot.pacing import PacedSender


class FakeTime:
    """Monotonic time that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_sends_due_at_the_same_moment_stay_under_the_rate() -> None:
    clock = FakeTime()
    pacer = PacedSender(rate=40, monotonic=clock.monotonic, sleep=clock.sleep)
    sent_at: list[float] = []
    for _ in range(500):  # 500 servers, all due at 09:00
        await pacer.wait_turn()
        sent_at.append(clock.now)
    assert sent_at[0] == 100.0  # the first goes at once
    for i in range(len(sent_at) - 40):
        # Any 41 consecutive sends span at least one second: never more than 40 a second.
        assert sent_at[i + 40] - sent_at[i] >= 1.0 - 1e-9
    assert sent_at[-1] - sent_at[0] < 500 / 40  # and nothing waits longer than needed


async def test_concurrent_callers_get_distinct_slots() -> None:
    clock = FakeTime()
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)  # concurrent sleeps overlap, so time itself stays put

    pacer = PacedSender(rate=10, monotonic=clock.monotonic, sleep=record)
    await asyncio.gather(*(pacer.wait_turn() for _ in range(5)))
    assert sorted(round(w, 6) for w in waits) == [0.1, 0.2, 0.3, 0.4]  # the first went at once


async def test_an_idle_sender_does_not_bank_a_burst() -> None:
    clock = FakeTime()
    pacer = PacedSender(rate=10, monotonic=clock.monotonic, sleep=clock.sleep)
    await pacer.wait_turn()
    clock.now += 60  # a quiet minute
    times = []
    for _ in range(3):
        await pacer.wait_turn()
        times.append(clock.now)
    assert [round(t - times[0], 6) for t in times] == [0.0, 0.1, 0.2]
