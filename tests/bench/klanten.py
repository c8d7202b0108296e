"""The benchmark's HTTP clients: many partners posting at once, made cheap to run.

The benchmark runs its clients on the same cores as the platform it measures. A thread per client
over httpx cost 0.6 ms of CPU per POST (the API's own share is about 1.5 ms), so it measured its
own clients as much as the API. These clients keep one HTTP/1.1 keep-alive connection each, send
requests built before the clock starts, and read each answer whole (status line, headers, body by
its Content-Length), as wrk and oha do. Every answer must be the expected status, or the run ends
with the status and the body of the first one that was not.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import uvloop


class Geweigerd(RuntimeError):
    """A POST of the benchmark got another answer than the expected status."""


def post_alle(url: str, koppen: Mapping[str, str], lichamen: Sequence[Any], clients: int,
              verwacht: int = 201) -> tuple[float, list[float]]:
    """POST every body of ``lichamen`` (JSON) to ``url`` from ``clients`` connections at once,
    each taking the next body as soon as its previous answer is read. Returns the moment
    (``time.perf_counter``) the first request went out, and per body the moment its answer
    arrived."""
    deel = urlsplit(url)
    host, port = deel.hostname or "127.0.0.1", deel.port or 80
    kop = "".join(f"{k}: {v}\r\n" for k, v in koppen.items() if k.lower() != "content-type")
    verzoeken = []
    for lichaam in lichamen:
        data = json.dumps(lichaam).encode()
        verzoeken.append(
            (f"POST {deel.path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
             f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n{kop}\r\n")
            .encode() + data)
    return uvloop.run(_post_alle(host, port, verzoeken, max(1, clients), verwacht))


async def _post_alle(host: str, port: int, verzoeken: list[bytes], clients: int,
                     verwacht: int) -> tuple[float, list[float]]:
    momenten = [0.0] * len(verzoeken)
    volgende = iter(range(len(verzoeken)))

    async def klant() -> None:
        lezer, schrijver = await asyncio.open_connection(host, port)
        try:
            for i in volgende:  # one iterator shared by every client: each body is sent once
                schrijver.write(verzoeken[i])
                status, koppen, lichaam = await _antwoord(lezer)
                momenten[i] = time.perf_counter()
                if status != verwacht:
                    raise Geweigerd(f"POST {i}: {status} instead of {verwacht}: "
                                    f"{lichaam[:500].decode(errors='replace')}")
                if koppen.get("connection") == "close":
                    schrijver.close()
                    lezer, schrijver = await asyncio.open_connection(host, port)
        finally:
            schrijver.close()

    begin = time.perf_counter()
    await asyncio.gather(*(klant() for _ in range(min(clients, len(verzoeken)))))
    return begin, momenten


async def _antwoord(lezer: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    regels = (await lezer.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(regels[0].split(" ", 2)[1])
    koppen = {}
    for regel in regels[1:]:
        if regel:
            naam, _, waarde = regel.partition(":")
            koppen[naam.strip().lower()] = waarde.strip()
    if "content-length" not in koppen:
        raise Geweigerd(f"an answer {status} without Content-Length: {koppen}")
    return status, koppen, await lezer.readexactly(int(koppen["content-length"]))
