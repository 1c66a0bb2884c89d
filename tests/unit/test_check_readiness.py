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
