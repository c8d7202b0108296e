"""The group commit for an event loop's requests (shared/groepscommit.py): the requests that
wait while a group is written form the next group, handed to one thread together; each caller
gets its own answer, and a failed group fails its own callers only."""

from __future__ import annotations

import asyncio
import threading

from shared.groepscommit import AsyncGroepscommit


def test_requests_waiting_for_a_turn_are_answered_together_each_with_its_own_answer() -> None:
    groepen: list[list[int]] = []
    eerste_bezig, ga_door = threading.Event(), threading.Event()

    def verwerk(vragen: list[int]) -> list[int]:
        groepen.append(list(vragen))
        if len(groepen) == 1:
            eerste_bezig.set()
            assert ga_door.wait(10)
        return [v * 10 for v in vragen]

    async def scenario() -> list[int]:
        groep: AsyncGroepscommit[int, int] = AsyncGroepscommit(verwerk)
        eerste = asyncio.create_task(groep.vraag(1))
        assert await asyncio.to_thread(eerste_bezig.wait, 10)
        later = [asyncio.create_task(groep.vraag(v)) for v in (2, 3, 4, 5)]
        await asyncio.sleep(0)  # let them queue behind the turn under way
        ga_door.set()
        return await asyncio.gather(eerste, *later)

    assert asyncio.run(scenario()) == [10, 20, 30, 40, 50]
    assert groepen == [[1], [2, 3, 4, 5]]


def test_a_failed_group_fails_its_own_callers_and_the_next_group_is_answered() -> None:
    eerste_bezig, ga_door = threading.Event(), threading.Event()
    beurten = 0

    def verwerk(vragen: list[str]) -> list[str]:
        nonlocal beurten
        beurten += 1
        if beurten == 1:
            eerste_bezig.set()
            assert ga_door.wait(10)
            raise RuntimeError("database weg")
        return [v.upper() for v in vragen]

    async def scenario() -> tuple[list[object], list[str]]:
        groep: AsyncGroepscommit[str, str] = AsyncGroepscommit(verwerk)
        mislukt = asyncio.create_task(groep.vraag("a"))
        assert await asyncio.to_thread(eerste_bezig.wait, 10)
        volgende = [asyncio.create_task(groep.vraag(v)) for v in ("b", "c")]
        await asyncio.sleep(0)
        ga_door.set()
        eerst = await asyncio.gather(mislukt, return_exceptions=True)
        return eerst, await asyncio.gather(*volgende)

    eerst, daarna = asyncio.run(scenario())
    assert isinstance(eerst[0], RuntimeError) and str(eerst[0]) == "database weg"
    assert daarna == ["B", "C"]


def test_the_next_group_waits_for_the_callers_just_answered_to_come_back() -> None:
    """Under a steady load the callers of a group ask again at once: the one or two requests
    that came in while it was written do not make a transaction of their own, they wait (up
    to ``wacht``) for them and go together."""
    groepen: list[list[str]] = []
    eerste_bezig, ga_door = threading.Event(), threading.Event()

    def verwerk(vragen: list[str]) -> list[str]:
        groepen.append(list(vragen))
        if len(groepen) == 1:
            eerste_bezig.set()
            assert ga_door.wait(10)
        return vragen

    async def scenario() -> None:
        groep: AsyncGroepscommit[str, str] = AsyncGroepscommit(verwerk, wacht=3600)
        eerste = asyncio.create_task(groep.vraag("a"))
        assert await asyncio.to_thread(eerste_bezig.wait, 10)
        tussendoor = [asyncio.create_task(groep.vraag(v)) for v in ("b", "c")]
        await asyncio.sleep(0)
        ga_door.set()
        await eerste
        await asyncio.gather(groep.vraag("a2"), *tussendoor)  # a's caller comes back

    # a hang guard, not a timing: without the wait for a's caller this ends at once too
    asyncio.run(asyncio.wait_for(scenario(), 60))
    assert groepen == [["a"], ["b", "c", "a2"]]


def test_a_lone_caller_never_waits_for_others() -> None:
    groepen: list[list[int]] = []

    def verwerk(vragen: list[int]) -> list[int]:
        groepen.append(list(vragen))
        return vragen

    async def scenario() -> list[int]:
        groep: AsyncGroepscommit[int, int] = AsyncGroepscommit(verwerk, wacht=3600)
        return [await groep.vraag(v) for v in (1, 2, 3)]

    # a hang guard: a lone caller that waited for company would wait an hour
    assert asyncio.run(asyncio.wait_for(scenario(), 60)) == [1, 2, 3]
    assert groepen == [[1], [2], [3]]
