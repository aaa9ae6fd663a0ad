"""The timer loop the pool sampler, the scheduled clean and the pool's start-up retry share (PeriodicTask)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from accord.db.lifecycle import PoolLifecycle
from accord.db.periodic import PeriodicTask
from accord.observability.pool_sampler import PoolSampler
from accord.retention.scheduler import RetentionScheduler
from accord.retention.schemas import KeepRules

INTERVAL = 0.01


class Ticks:
    """A tick that counts its calls, fails on the ones listed and says it is done after `done_after` calls."""

    def __init__(self, *, failing: tuple[int, ...] = (), done_after: int | None = None) -> None:
        self.calls = 0
        self.failing = failing
        self.done_after = done_after
        self.called = asyncio.Event()

    async def __call__(self) -> bool:
        self.calls += 1
        self.called.set()
        if self.calls in self.failing:
            raise RuntimeError(f"tick {self.calls} failed")
        return self.done_after is not None and self.calls >= self.done_after


async def wait_for_calls(ticks: Ticks, calls: int) -> None:
    async with asyncio.timeout(5):
        while ticks.calls < calls:
            ticks.called.clear()
            await ticks.called.wait()


def test_it_ticks_every_interval_until_stopped_and_stop_cancels_at_once() -> None:
    async def scenario() -> None:
        ticks = Ticks()
        task = PeriodicTask(ticks, interval_seconds=INTERVAL, wait_first=False, name="test")
        task.start()
        assert task.running
        await wait_for_calls(ticks, 3)
        async with asyncio.timeout(1):  # cancels: never waits for a round or an interval
            await task.stop()
        assert not task.running
        stopped_at = ticks.calls
        await asyncio.sleep(INTERVAL * 5)
        assert ticks.calls == stopped_at

    asyncio.run(scenario())


def test_a_long_interval_is_cut_short_by_stop() -> None:
    async def scenario() -> None:
        ticks = Ticks()
        task = PeriodicTask(ticks, interval_seconds=3600, wait_first=True, name="test")
        task.start()
        await asyncio.sleep(INTERVAL)
        async with asyncio.timeout(1):
            await task.stop()
        assert ticks.calls == 0  # wait_first: nothing before the first interval

    asyncio.run(scenario())


def test_stop_before_start_and_twice_is_harmless_and_it_starts_again_after_a_stop() -> None:
    async def scenario() -> None:
        ticks = Ticks()
        task = PeriodicTask(ticks, interval_seconds=INTERVAL, wait_first=False, name="test")
        await task.stop()
        task.start()
        await wait_for_calls(ticks, 1)
        await task.stop()
        await task.stop()
        task.start()
        await wait_for_calls(ticks, ticks.calls + 2)
        await task.stop()

    asyncio.run(scenario())


def test_a_failing_tick_is_logged_and_the_timer_keeps_running(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> Ticks:
        ticks = Ticks(failing=(1, 2))
        task = PeriodicTask(ticks, interval_seconds=INTERVAL, wait_first=False, name="flaky job")
        task.start()
        await wait_for_calls(ticks, 4)
        assert task.running
        await task.stop()
        return ticks

    with caplog.at_level(logging.WARNING, logger="accord.db.periodic"):
        asyncio.run(scenario())
    failures = [record.getMessage() for record in caplog.records]
    assert failures[:2] == [
        f"flaky job failed (RuntimeError: tick 1 failed); trying again in {INTERVAL:g} s",
        f"flaky job failed (RuntimeError: tick 2 failed); trying again in {INTERVAL:g} s",
    ]


def test_a_tick_that_says_it_is_done_ends_the_timer() -> None:
    async def scenario() -> None:
        ticks = Ticks(failing=(1,), done_after=3)
        task = PeriodicTask(ticks, interval_seconds=INTERVAL, wait_first=True, name="test")
        task.start()
        await wait_for_calls(ticks, 3)
        await asyncio.sleep(INTERVAL * 5)
        assert ticks.calls == 3
        assert not task.running
        await task.stop()

    asyncio.run(scenario())


def test_the_three_timers_are_periodic_tasks_with_their_first_tick_where_it_was() -> None:
    sampler = PoolSampler(interval_seconds=5)
    scheduler = RetentionScheduler(KeepRules(), interval_seconds=3600)
    pool = PoolLifecycle(min_size=1, max_size=1)
    assert isinstance(sampler, PeriodicTask)
    assert not sampler.wait_first  # gauges have figures from the first scrape
    assert isinstance(scheduler, PeriodicTask)
    assert scheduler.wait_first  # restarts never clean at once
    assert pool._retry.wait_first  # start() has just tried
