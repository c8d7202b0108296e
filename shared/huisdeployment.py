"""A house's own deployment: which services it runs for itself, and what that means for each
process (houses served, instance names, databases, ports).

The configuration is the house's entry in deploy/gebiedsindeling.toml (``eigen``,
``provinciaal``, ``poort_basis``), beside its municipalities: adding a house is one entry there.
Which services can run per house or for the province, and on which port offset, is the service
registry's (deploy/platform.toml, shared/diensten.py). A service a house runs itself serves only
that house; the provincial ones (intake's routing of the shared feeds, a provincial nazorg) run
once for the province and are not started by a house.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared import diensten
from shared.contracts.huizen import INDELING, Gebiedsindeling, Huisgegevens, HuisId
from shared.supervisor import Proces, van_diensten


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
        per_huis = diensten.register()[service].per_huis
        assert per_huis is not None, f"{service} does not run per house"
        return self.poort_basis + per_huis.poort

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
            # One instance name per house deployment, from which its consumer groups
            # (vhh-<instantie>) and relay's transactional id (outbox-relay.<instantie>) follow:
            # two deployments sharing a relay name would fence each other off. It starts with
            # the house so that the house's prefix ACLs cover it (shared/kafka_acls.py).
            env[p + "INSTANTIE"] = self.instantie(s)
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

    def instantie(self, service: str) -> str:
        """The name of this house's copy of a service: ``<huis>.<service>``."""
        return f"{self.huis.value}.{service}"

    def url(self, service: str) -> str:
        """Where an own service of this house answers (locally)."""
        return f"http://127.0.0.1:{self.poort(service)}"

    def processen(self) -> list[Proces]:
        """The platform's processes of this house's own services, named after the house."""
        return [Proces(f"{self.huis.value}-{p.naam}", p.commando, p.dienst)
                for p in van_diensten(self.eigen)[1]]

    def migraties(self) -> list[list[str]]:
        return van_diensten(self.eigen)[0]


def _deployment(h: Huisgegevens) -> Huisdeployment:
    waar = f"house {h.id!r}"
    per_huis, provinciaal = diensten.per_huis(), diensten.provinciaal()
    for s in h.eigen:
        if s not in per_huis:
            raise ConfiguratieFout(f"{waar}: eigen: {s!r} cannot run per house "
                                   f"(one of {', '.join(per_huis)})")
    for s in h.provinciaal:
        if s not in provinciaal:
            raise ConfiguratieFout(f"{waar}: provinciaal: {s!r} is not a provincial service")
        if s in h.eigen:
            raise ConfiguratieFout(f"{waar}: {s!r} is both run by the house and provincial")
    if "triage" in h.eigen and "intake" not in h.provinciaal:
        raise ConfiguratieFout(f"{waar}: triage needs the provincial intake for its meldingen")
    return Huisdeployment(HuisId(h.id), h.eigen, h.provinciaal, h.poort_basis)


def lees(huis: HuisId | str, indeling: Gebiedsindeling = INDELING) -> Huisdeployment:
    """A house's deployment, from its entry in deploy/gebiedsindeling.toml."""
    for h in indeling.huizen:
        if h.id == str(huis):
            return _deployment(h)
    raise ConfiguratieFout(f"unknown house {str(huis)!r}: one of "
                           + ", ".join(h.id for h in indeling.huizen))


def alle(indeling: Gebiedsindeling = INDELING) -> list[Huisdeployment]:
    return [_deployment(h) for h in indeling.huizen]
