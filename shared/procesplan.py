"""What `vhh run` starts, and as which Kafka principal each process logs in.

The province runs intake once (the router of the shared feeds, as ``intake``) and nazorg once for
the houses that rely on the provincial one (as ``nazorg-provincie``). Every house runs its own
services (its entry in deploy/gebiedsindeling.toml) as its own principal ``huis-<huis>``,
serving that house alone: Kafka itself keeps a house to its own topics. Nothing long-running
logs in as ``beheer``; the super user only creates topics, principals and ACLs.

The plan is data: `vhh run` carries it out (shared/cli.py), the tests read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from shared import diensten, huisdeployment, kafka_acls
from shared.contracts.huizen import HuisId
from shared.diensten import Provinciaal
from shared.huisdeployment import Huisdeployment
from shared.settings import OMGEVING
from shared.supervisor import Proces, van_diensten


@dataclass(frozen=True)
class Deel:
    """Processes that log in as one principal, share their settings and a run directory."""

    naam: str
    """``intake``, ``nazorg`` (provincial) or the house."""
    principal: str
    run_map: str
    """Where the pid, ready and log files go, under var/run."""
    databases: dict[str, str]
    """VHH_<SERVICE>_DATABASE_URL and the database it names."""
    migraties: list[list[str]]
    processen: list[Proces]
    instellingen: dict[str, str]
    """The environment but for the database URLs and the Kafka login."""
    huis: HuisId | None = None
    urls: dict[str, str] = field(default_factory=dict)
    """Where each of its services answers."""

    def omgeving(self, database_url: Callable[[str], str]) -> dict[str, str]:
        # `vhh run` is a developer's platform: development is chosen here, never a default.
        return {OMGEVING: "ontwikkeling", **self.instellingen,
                **{k: database_url(db) for k, db in self.databases.items()}}

    @property
    def poorten(self) -> list[int]:
        return [int(v) for k, v in self.instellingen.items() if k.endswith("_HTTP_PORT")]


def _provinciale(dienst: str) -> Provinciaal:
    """The provincial copy of a service in the registry (deploy/platform.toml): its port,
    principal and instance name (under the prefixes of its principal's ACLs)."""
    p = diensten.register()[dienst].provinciaal
    if p is None:
        raise ValueError(f"{dienst} has no provincial copy (deploy/platform.toml)")
    return p


def provinciale_url(dienst: str) -> str:
    return f"http://127.0.0.1:{_provinciale(dienst).poort}"


def _provinciaal(dienst: str, instellingen: dict[str, str]) -> Deel:
    migraties, processen = van_diensten([dienst])
    p = _provinciale(dienst)
    return Deel(dienst, p.principal, "",
                {f"VHH_{dienst.upper()}_DATABASE_URL": dienst}, migraties, processen,
                {f"VHH_{dienst.upper()}_HTTP_PORT": str(p.poort), **instellingen},
                urls={dienst: provinciale_url(dienst)})


def provinciale_nazorg(deployments: list[Huisdeployment]) -> Deel | None:
    """Nazorg for the houses that rely on the provincial one; None when every house runs its
    own. Its pages link each house's navigation to that house's own triage, regie and
    reporting; a visitor without a token logs in at the first house's triage."""
    huizen = [d for d in deployments if "nazorg" in d.provinciaal]
    if not huizen:
        return None
    per_huis = {d.huis.value: {f"{s}_url": d.url(s) for s in d.eigen} for d in huizen}
    instellingen = {
        "VHH_NAZORG_HUIZEN": json.dumps([d.huis.value for d in huizen]),
        "VHH_NAZORG_INSTANTIE": _provinciale("nazorg").instantie,
        "VHH_WERKBANK_NAZORG_URL": provinciale_url("nazorg"),
        "VHH_WERKBANK_HUIZEN": json.dumps(per_huis),
        **{f"VHH_WERKBANK_{s.upper()}_URL": huizen[0].url(s) for s in huizen[0].eigen},
    }
    return _provinciaal("nazorg", instellingen)


def huis(d: Huisdeployment) -> Deel:
    """One house's own services, exactly as `vhh run --house` starts them."""
    provinciaal = {s: provinciale_url(s) for s in d.provinciaal}
    return Deel(d.huis.value, kafka_acls.huis_principal(d.huis), f"huizen/{d.huis.value}",
                d.databases(), d.migraties(), d.processen(), d.instellingen(provinciaal),
                huis=d.huis, urls={s: d.url(s) for s in d.eigen})


GECOMBINEERD = "diensten"
"""The name of a part's one process when it holds several services."""


def samengevoegd(delen: list[Deel]) -> list[Deel]:
    """The same plan with one process per part instead of one per process of each service: a
    part of one service runs ``python -m services.<dienst> samen`` (API, worker, relay and
    clocks together), a house's several services ``python -m services samen <dienst> ...``,
    each with its own settings and port, all logged in as the house's principal. The lean
    development topology; each process of each service can still be started alone, as
    production does."""
    from dataclasses import replace

    from shared.proces import SAMEN

    uit = []
    for d in delen:
        diensten = list(dict.fromkeys(p.dienst for p in d.processen))
        eerste = next(p for p in d.processen if p.dienst == diensten[0])
        prefix = eerste.naam[:eerste.naam.rindex(eerste.dienst)] \
            if eerste.dienst in eerste.naam else ""
        if len(diensten) == 1:
            een = Proces(f"{prefix}{eerste.dienst}", [*eerste.commando[:-1], SAMEN],
                         eerste.dienst)
        else:
            een = Proces(f"{prefix}{GECOMBINEERD}",
                         [eerste.commando[0], "-m", "services", SAMEN, *diensten],
                         "+".join(diensten))
        uit.append(replace(d, processen=[een]))
    return uit


def plan(huis_: HuisId | str | None = None, *, provincie: bool = True,
         huizen: bool = True) -> list[Deel]:
    """What `vhh run` starts: with ``huis_`` that house's own services only; else the
    provincial services (``provincie``) and every house's own (``huizen``)."""
    if huis_ is not None:
        return [huis(huisdeployment.lees(huis_))]
    deployments = huisdeployment.alle()
    delen: list[Deel] = []
    if provincie:
        delen.append(_provinciaal("intake", {}))
        nazorg = provinciale_nazorg(deployments)
        if nazorg is not None:
            delen.append(nazorg)
    if huizen:
        delen += [huis(d) for d in deployments]
    return delen
