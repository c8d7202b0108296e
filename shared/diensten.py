"""The service registry (deploy/platform.toml): per service its processes and migration, whether
it runs per house or for the province (port, principal, instance name), and which provincial
topics its principal reads, writes and deletes from.

Read by the process plan (shared/procesplan.py, shared/huisdeployment.py), the topic registry
(the outbox progress topics) and the ACL derivation (shared/kafka_acls.py): adding a service is
an entry here, not an edit of lists in code.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[1] / "deploy" / "platform.toml"


@dataclass(frozen=True)
class Behoeften:
    """Topic names a principal needs, with ``{huis}`` (each house served) and ``{elk_huis}``
    (every house) in them."""

    leest: tuple[str, ...] = ()
    schrijft: tuple[str, ...] = ()
    wist: tuple[str, ...] = ()
    """Topics it deletes records from (DeleteRecords)."""

    def topics(self, huizen: list[str], elk_huis: list[str]) -> dict[str, list[str]]:
        """Per operation (READ, WRITE, DELETE) the topic names, expanded."""
        return {op: [n for s in namen for n in _vul_in(s, huizen, elk_huis)]
                for op, namen in (("READ", self.leest), ("WRITE", self.schrijft),
                                  ("DELETE", self.wist))}


def _vul_in(sjabloon: str, huizen: list[str], elk_huis: list[str]) -> list[str]:
    if "{elk_huis}" in sjabloon:
        return [sjabloon.replace("{elk_huis}", h) for h in elk_huis]
    if "{huis}" in sjabloon:
        return [sjabloon.replace("{huis}", h) for h in huizen]
    return [sjabloon]


@dataclass(frozen=True)
class PerHuis:
    poort: int
    """Offset on the house's poort_basis."""
    behoeften: Behoeften


@dataclass(frozen=True)
class Provinciaal:
    poort: int
    principal: str
    instantie: str
    behoeften: Behoeften


@dataclass(frozen=True)
class Dienst:
    naam: str
    module: str
    processen: tuple[str, ...] = ()
    per_huis: PerHuis | None = None
    provinciaal: Provinciaal | None = None
    migratie: list[str] = field(default_factory=list)

    def commando(self, proces: str) -> list[str]:
        return [sys.executable, "-m", self.module, proces]


def _behoeften(t: dict[str, list[str]]) -> Behoeften:
    return Behoeften(tuple(t.get("leest", [])), tuple(t.get("schrijft", [])),
                     tuple(t.get("wist", [])))


def lees(pad: Path = PLATFORM) -> list[Dienst]:
    """Every service, in the file's order (the order `vhh run` migrates and starts them)."""
    diensten = []
    for d in tomllib.loads(pad.read_text()).get("dienst", []):
        h, p = d.get("per_huis"), d.get("provinciaal")
        diensten.append(Dienst(
            d["naam"], d["module"], tuple(d.get("processen", [])),
            PerHuis(int(h["poort"]), _behoeften(h)) if h else None,
            Provinciaal(int(p["poort"]), p["principal"], p["instantie"], _behoeften(p))
            if p else None,
            [sys.executable, "-m", d["module"], "migrate"]))
    return diensten


@cache
def register() -> dict[str, Dienst]:
    """The registry of deploy/platform.toml, by name."""
    return {d.naam: d for d in lees()}


def per_huis() -> tuple[str, ...]:
    """Services that can run for one house."""
    return tuple(n for n, d in register().items() if d.per_huis is not None)


def provinciaal() -> tuple[str, ...]:
    """Services that run once for the province, for the houses that rely on them."""
    return tuple(n for n, d in register().items() if d.provinciaal is not None)


def met_outbox() -> tuple[str, ...]:
    """Services with an outbox relay (a progress topic of their own): those that run."""
    return tuple(n for n, d in register().items() if d.processen)
