"""A house's own deployment: which services it runs for itself, and what that means for each
process (houses served, consumer groups, relay names, databases, ports).

The configuration lives in ``deploy/huizen/<huis>.toml``. A service a house runs itself serves
only that house; the provincial ones (intake's routing of the shared feeds, a provincial nazorg)
run once for the province and are not started by a house.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.contracts.huizen import HuisId
from shared.settings import REPO
from shared.supervisor import Proces, van_diensten

HUIZEN = REPO / "deploy" / "huizen"
PER_HUIS = ("triage", "regie", "nazorg", "reporting")
"""Services that can run for one house."""
PROVINCIAAL = ("intake", "nazorg")
"""Services that run once for the province, for the houses that rely on them. Reporting is not
one of them: each house counts its own streams, and every house's reporting shows the provincial
overview from the aggregate figures the houses publish."""
POORT = {"triage": 2, "regie": 3, "nazorg": 4, "reporting": 5}


class ConfiguratieFout(ValueError):
    pass


@dataclass(frozen=True)
class Huisdeployment:
    huis: HuisId
    eigen: tuple[str, ...]
    provinciaal: tuple[str, ...]
    poort_basis: int

    @property
    def naam(self) -> str:
        """The house as it may appear in database names and instance names."""
        return self.huis.value.replace("-", "_")

    def poort(self, service: str) -> int:
        return self.poort_basis + POORT[service]

    def database(self, service: str) -> str:
        return f"{service}_{self.naam}"

    def databases(self) -> dict[str, str]:
        """VHH_<SERVICE>_DATABASE_URL of each own service, with the database it names."""
        return {f"VHH_{s.upper()}_DATABASE_URL": self.database(s) for s in self.eigen}

    def instellingen(self, provinciale_urls: dict[str, str]) -> dict[str, str]:
        """The environment of every process of this house's own services, but for the
        database URLs (``databases``) and the Kafka login (the house's principal)."""
        env: dict[str, str] = {}
        for s in self.eigen:
            p = f"VHH_{s.upper()}_"
            env[p + "HUIZEN"] = f'["{self.huis.value}"]'
            env[p + "HTTP_PORT"] = str(self.poort(s))
            env[f"VHH_WERKBANK_{s.upper()}_URL"] = self.url(s)
        # One consumer group and one transactional relay per house deployment: two
        # deployments sharing a relay name would fence each other off. The names start with
        # the house (groups vhh-<huis>.<service>, transactional ids outbox-relay.<huis>.<service>)
        # so that the house's prefix ACLs cover them (shared/kafka_acls.py).
        for s in ("triage", "regie"):
            if s in self.eigen:
                env[f"VHH_{s.upper()}_CONSUMER_GROEP"] = f"vhh-{self.huis.value}.{s}"
                env[f"VHH_{s.upper()}_RELAY_NAAM"] = f"{self.huis.value}.{s}"
        for s in ("nazorg", "reporting"):
            if s in self.eigen:
                env[f"VHH_{s.upper()}_INSTANTIE"] = f"{self.huis.value}.{s}"
        for s in self.provinciaal:
            if s in provinciale_urls:
                env[f"VHH_WERKBANK_{s.upper()}_URL"] = provinciale_urls[s]
        return env

    def omgeving(self, database_url: Callable[[str], str],
                 provinciale_urls: dict[str, str]) -> dict[str, str]:
        """The environment of every process of this house's own services (but the Kafka
        login)."""
        return {**self.instellingen(provinciale_urls),
                **{k: database_url(db) for k, db in self.databases().items()}}

    def url(self, service: str) -> str:
        """Where an own service of this house answers (locally)."""
        return f"http://127.0.0.1:{self.poort(service)}"

    def processen(self) -> list[Proces]:
        """The platform's processes of this house's own services, named after the house."""
        return [Proces(f"{self.huis.value}-{p.naam}", p.commando, p.dienst)
                for p in van_diensten(self.eigen)[1]]

    def migraties(self) -> list[list[str]]:
        return van_diensten(self.eigen)[0]


def lees(huis: HuisId | str, map_: Path = HUIZEN) -> Huisdeployment:
    try:
        huis = HuisId(huis)
    except ValueError:
        raise ConfiguratieFout(f"unknown house {huis!r}: one of "
                               + ", ".join(h.value for h in HuisId)) from None
    pad = map_ / f"{huis.value}.toml"
    if not pad.exists():
        raise ConfiguratieFout(f"{pad}: no deployment configuration for {huis.value}")
    data = tomllib.loads(pad.read_text())
    eigen, provinciaal = tuple(data.get("eigen", [])), tuple(data.get("provinciaal", []))
    if data.get("huis") != huis.value:
        raise ConfiguratieFout(f"{pad}: huis must be {huis.value!r}")
    for s in eigen:
        if s not in PER_HUIS:
            raise ConfiguratieFout(f"{pad}: eigen: {s!r} cannot run per house "
                                   f"(one of {', '.join(PER_HUIS)})")
    for s in provinciaal:
        if s not in PROVINCIAAL:
            raise ConfiguratieFout(f"{pad}: provinciaal: {s!r} is not a provincial service")
        if s in eigen:
            raise ConfiguratieFout(f"{pad}: {s!r} is both run by the house and provincial")
    if "triage" in eigen and "intake" not in provinciaal:
        raise ConfiguratieFout(f"{pad}: triage needs the provincial intake for its meldingen")
    return Huisdeployment(huis, eigen, provinciaal, int(data["poort_basis"]))


def alle(map_: Path = HUIZEN) -> list[Huisdeployment]:
    return [lees(h, map_) for h in HuisId]
