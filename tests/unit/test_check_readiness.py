import asyncio
from dataclasses import dataclass

from application.check_readiness import CheckReadiness


@dataclass
class FakeProbe:
    name: str
    answers: bool = True
    delay: float = 0.0

    async def is_reachable(self) -> bool:
        await asyncio.sleep(self.delay)
        return self.answers


async def test_ready_when_every_dependency_answers():
    readiness = await CheckReadiness([FakeProbe("postgresql"), FakeProbe("redis")])()
    assert readiness.is_ready
    assert readiness.reachable == ("postgresql", "redis")


async def test_not_ready_names_the_dependency_that_failed():
    readiness = await CheckReadiness([FakeProbe("postgresql"), FakeProbe("redis", answers=False)])()
    assert not readiness.is_ready
    assert readiness.unreachable == ("redis",)


async def test_a_dependency_that_hangs_counts_as_unreachable():
    check = CheckReadiness([FakeProbe("postgresql", delay=5)], timeout_seconds=0.05)
    readiness = await check()
    assert readiness.unreachable == ("postgresql",)


async def test_an_optional_dependency_away_degrades_but_keeps_the_service_ready():
    check = CheckReadiness([FakeProbe("postgresql")], optional=[FakeProbe("redis", answers=False)])
    readiness = await check()
    assert readiness.is_ready
    assert readiness.is_degraded
    assert readiness.unreachable == ("redis",)
    assert readiness.reachable == ("postgresql",)


async def test_a_required_dependency_away_is_not_ready_whatever_the_optional_ones_say():
    check = CheckReadiness([FakeProbe("postgresql", answers=False)], optional=[FakeProbe("redis")])
    readiness = await check()
    assert not readiness.is_ready
    assert not readiness.is_degraded


async def test_every_dependency_answering_is_ready_and_not_degraded():
    readiness = await CheckReadiness([FakeProbe("postgresql")], optional=[FakeProbe("redis")])()
    assert readiness.is_ready
    assert not readiness.is_degraded
