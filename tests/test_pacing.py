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


class StallingTime:
    """Time as the event loop sees it: sleepers wake in order, but a stall wakes them late."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.now + seconds, woken))
        await woken

    async def run(self, stall_at: float, stall: float) -> None:
        """Wake sleepers in time order; once time reaches `stall_at`, it jumps `stall` ahead."""
        stalled = False
        while True:
            for _ in range(10):  # let woken callers run and new ones go to sleep
                await asyncio.sleep(0)
            if not self.sleepers:
                return
            self.sleepers.sort(key=lambda sleeper: sleeper[0])
            self.now = max(self.now, self.sleepers[0][0])
            if not stalled and self.now >= stall_at:
                stalled = True
                self.now += stall  # the loop was busy: everyone due meanwhile is late
            due = [s for s in self.sleepers if s[0] <= self.now]
            self.sleepers = [s for s in self.sleepers if s[0] > self.now]
            for _, woken in due:
                woken.set_result(None)


async def test_a_stalled_event_loop_does_not_release_a_burst() -> None:
    clock = StallingTime()
    pacer = PacedSender(rate=10, monotonic=clock.monotonic, sleep=clock.sleep)
    sent_at: list[float] = []

    async def send() -> None:
        await pacer.wait_turn()
        sent_at.append(clock.now)

    callers = asyncio.gather(*(send() for _ in range(40)))
    await clock.run(stall_at=101.0, stall=0.5)
    await callers

    assert len(sent_at) == 40
    assert sent_at[-1] - sent_at[0] < 40 / 10 + 0.5 + 0.1  # the stall, and no more, is lost
    for i in range(len(sent_at) - 11):
        # Any 12 consecutive sends span at least one second: at most one over the rate, the
        # stall included (slots handed out ahead released the 5 late ones at once).
        assert sent_at[i + 11] - sent_at[i] >= 1.0 - 1e-9
