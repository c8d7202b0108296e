"""The platform's Kafka principals and their ACLs, derived from the service registry (what each
service's principal reads and writes: deploy/platform.toml) and the houses
(deploy/gebiedsindeling.toml), and applied idempotently (`vhh acls apply`).

Nobody writes an ACL by hand: a new house in deploy/gebiedsindeling.toml gets its topics, its
principal and its ACLs from the same commands. Every rule allows; the broker denies the rest
(``allow.everyone.if.no.acl.found=false``). ``beheer`` is a super user and needs no ACL.

Names a house deployment uses start with the house, so a prefix ACL covers them:
topics ``vhh.<huis>.``, consumer groups ``vhh-<huis>.``, transactional ids
``outbox-relay.<huis>.`` (see shared/huisdeployment.py). A provincial stream that houses write
has a topic per sending house with a literal WRITE for that house alone, so that its readers
can take the sender from the topic (shared/contracts/topics.py, ``AFZENDERSTROMEN``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kafka.admin import (
    ACL,
    ACLFilter,
    ACLOperation,
    ACLPermissionType,
    ACLResourcePatternType,
    KafkaAdminClient,
    ResourcePattern,
    ResourcePatternFilter,
    ResourceType,
    ScramMechanism,
    UserScramCredentialUpsertion,
)

from shared import diensten
from shared.contracts.huizen import HuisId
from shared.contracts.topics import (
    DJI_DETENTIE,
    POLITIE_MUTATIES,
    cijfers_topic,
    zsm_terugmelding_topic,
)
from shared.diensten import Behoeften
from shared.huisdeployment import Huisdeployment, alle
from shared.settings import KafkaSettings

BEHEER = "beheer"
POLITIE = "politie"
DJI = "dji"
RAPPORTAGE_PROVINCIE = "rapportage-provincie"
ZSM = "zsm"
"""The prosecutor's chain at the ZSM table: reads the houses' decisions on the persons it
referred, nothing else."""

INTAKE_GROEP = "vhh-intake-feeds"
"""The faust app id of intake's feeds: its consumer group."""
RAPPORTAGE_PROVINCIE_GROEP = "vhh-rapportage-provincie"
ZSM_GROEP = "zsm"

LEZEN, SCHRIJVEN = "READ", "WRITE"
LETTERLIJK, PREFIX = "LITERAL", "PREFIXED"


def huis_principal(huis: HuisId | str) -> str:
    return f"huis-{HuisId(huis).value}"


@dataclass(frozen=True, order=True)
class Regel:
    """One ALLOW rule: principal may do ``operatie`` on the resource (from any host)."""

    principal: str
    soort: str
    """TOPIC, GROUP or TRANSACTIONAL_ID."""
    naam: str
    patroon: str
    """LITERAL or PREFIXED."""
    operatie: str
    """READ, WRITE, DESCRIBE or DELETE (READ and WRITE imply DESCRIBE in Kafka)."""

    def acl(self) -> ACL:
        return ACL(f"User:{self.principal}", "*", ACLOperation[self.operatie],
                   ACLPermissionType.ALLOW,
                   ResourcePattern(ResourceType[self.soort], self.naam,
                                   ACLResourcePatternType[self.patroon]))

    @classmethod
    def van(cls, acl: ACL) -> Regel:
        return cls(acl.principal.removeprefix("User:"), acl.resource_pattern.resource_type.name,
                   acl.resource_pattern.resource_name, acl.resource_pattern.pattern_type.name,
                   acl.operation.name)


def _topic(p: str, naam: str, *operaties: str, patroon: str = LETTERLIJK) -> list[Regel]:
    return [Regel(p, "TOPIC", naam, patroon, o) for o in operaties]


def _groep(p: str, naam: str, patroon: str = LETTERLIJK) -> list[Regel]:
    return [Regel(p, "GROUP", naam, patroon, LEZEN)]


def _transactie(p: str, naam: str, patroon: str = LETTERLIJK) -> list[Regel]:
    return [Regel(p, "TRANSACTIONAL_ID", naam, patroon, o) for o in (SCHRIJVEN, "DESCRIBE")]


def _behoeften(p: str, b: Behoeften, huizen: list[HuisId]) -> list[Regel]:
    """The topic ACLs of what a service's principal needs (deploy/platform.toml), for the
    houses it serves."""
    per_operatie = b.topics([h.value for h in huizen], [h.value for h in HuisId])
    return [r for op, namen in per_operatie.items() for n in namen for r in _topic(p, n, op)]


def huis_regels(d: Huisdeployment) -> list[Regel]:
    """A house: its own topics, groups and transactional ids, and what its own services need of
    the provincial topics (their relays' progress, reporting's aggregate figures, hand-overs:
    the registry's ``per_huis`` needs). Of the provincial topics with one topic per sender it
    writes its own only."""
    p, h = huis_principal(d.huis), d.huis.value
    regels = [*_topic(p, f"vhh.{h}.", LEZEN, SCHRIJVEN, patroon=PREFIX),
              *_groep(p, f"vhh-{h}.", PREFIX),
              *_transactie(p, f"outbox-relay.{h}.", PREFIX)]
    for s in d.eigen:
        per_huis = diensten.register()[s].per_huis
        if per_huis is not None:
            regels += _behoeften(p, per_huis.behoeften, [d.huis])
    return regels


def gewenste_regels(deployments: Iterable[Huisdeployment] | None = None) -> list[Regel]:
    """Every ACL the platform wants, sorted."""
    deployments = list(deployments if deployments is not None else alle())
    regels: list[Regel] = []
    for d in deployments:
        regels += huis_regels(d)
    # The provincial services, for the houses that rely on them (deploy/gebiedsindeling.toml):
    # the router intake for every house, nazorg-provincie never for a house with its own nazorg.
    # Each copy is named after its instance: consumer groups vhh-<instantie>*, transactional
    # ids outbox-relay.<instantie>* (prefixes, for copies named <instantie>-<something> beside).
    for dienst in diensten.register().values():
        prov = dienst.provinciaal
        if prov is None:
            continue
        huizen = [d.huis for d in deployments if dienst.naam in d.provinciaal]
        regels += _behoeften(prov.principal, prov.behoeften, huizen)
        # intake's feeds are one faust app with a fixed id (its consumer group)
        regels += (_groep(prov.principal, INTAKE_GROEP) if dienst.naam == "intake"
                   else _groep(prov.principal, f"vhh-{prov.instantie}", PREFIX))
        regels += _transactie(prov.principal, f"outbox-relay.{prov.instantie}", PREFIX)
    # Feed publishers write their own feed and nothing else; reading it back is not theirs.
    regels += _topic(POLITIE, POLITIE_MUTATIES.naam, SCHRIJVEN)
    regels += _topic(DJI, DJI_DETENTIE.naam, SCHRIJVEN)
    # Provincial reporting: the aggregate figures only, never a house stream.
    for h in HuisId:
        regels += _topic(RAPPORTAGE_PROVINCIE, cijfers_topic(h).naam, LEZEN)
    regels += _groep(RAPPORTAGE_PROVINCIE, RAPPORTAGE_PROVINCIE_GROEP, PREFIX)
    # ZSM: every house's decisions back to it, never a house stream.
    for h in HuisId:
        regels += _topic(ZSM, zsm_terugmelding_topic(h).naam, LEZEN)
    regels += _groep(ZSM, ZSM_GROEP, PREFIX)
    return sorted(set(regels))


def principals(deployments: Iterable[Huisdeployment] | None = None) -> list[str]:
    """Every principal the platform manages (beheer is the broker's own super user)."""
    deployments = list(deployments if deployments is not None else alle())
    provinciaal = [d.provinciaal.principal for d in diensten.register().values()
                   if d.provinciaal is not None]  # intake, nazorg-provincie (deploy/platform.toml)
    return [*(huis_principal(d.huis) for d in deployments), *provinciaal, POLITIE, DJI,
            RAPPORTAGE_PROVINCIE, ZSM]


def wachtwoorden(pad: Path, namen: Iterable[str] | None = None) -> dict[str, str]:
    """The local development passwords in ``pad`` (the broker's credentials.json), with one
    generated for every principal that has none yet. Never for production: there the
    passwords come from the operator's secret store."""
    from shared.devstack.kafka import schrijf_credentials

    try:
        bekend: dict[str, str] = json.loads(pad.read_text())
    except (OSError, ValueError):
        bekend = {}
    nieuw = {n: secrets.token_hex(24) for n in (namen or principals()) if n not in bekend}
    if nieuw:
        bekend.update(nieuw)
        schrijf_credentials(pad, bekend)
    return bekend


@dataclass(frozen=True)
class Wijziging:
    wat: str
    regel: str


def pas_toe(beheer: KafkaSettings, gebruikers: dict[str, str] | None = None,
            deployments: Iterable[Huisdeployment] | None = None) -> list[Wijziging]:
    """Make the broker match: SCRAM credentials for principals in ``gebruikers`` that have
    none yet, the wanted ACLs created, ACLs of managed principals that are no longer wanted
    deleted. Returns what changed; a second run returns nothing."""
    deployments = list(deployments if deployments is not None else alle())
    gewenst = set(gewenste_regels(deployments))
    beheerd = principals(deployments)
    admin = KafkaAdminClient(**beheer.kafka_python_opties(), client_id="vhh-acls")
    wijzigingen: list[Wijziging] = []
    try:
        if gebruikers:
            bestaand = set(admin.describe_user_scram_credentials() or {})
            nieuw = [n for n in beheerd if n in gebruikers and n not in bestaand]
            if nieuw:
                fouten = admin.alter_user_scram_credentials([
                    UserScramCredentialUpsertion(n, ScramMechanism.SCRAM_SHA_512, gebruikers[n])
                    for n in nieuw])
                for n in nieuw:
                    if (fouten or {}).get(n):
                        raise RuntimeError(f"SCRAM credentials for {n}: {fouten[n]}")
                    wijzigingen.append(Wijziging("principal created", n))
        huidig = set(huidige_regels(admin, beheerd))
        te_maken = sorted(gewenst - huidig)
        te_verwijderen = sorted(huidig - gewenst)
        if te_maken:
            antwoord = admin.create_acls([r.acl() for r in te_maken])
            if antwoord.get("failed"):
                raise RuntimeError(f"creating ACLs failed: {antwoord['failed']}")
            wijzigingen += [Wijziging("acl created", _tekst(r)) for r in te_maken]
        if te_verwijderen:
            admin.delete_acls([_filter(r) for r in te_verwijderen])
            wijzigingen += [Wijziging("acl deleted", _tekst(r)) for r in te_verwijderen]
    finally:
        admin.close()
    return wijzigingen


def huidige_regels(admin: KafkaAdminClient, principals_: Iterable[str]) -> list[Regel]:
    """The ALLOW rules the broker holds for these principals."""
    regels: list[Regel] = []
    for p in principals_:
        acls, fout = admin.describe_acls(ACLFilter(
            f"User:{p}", None, ACLOperation.ANY, ACLPermissionType.ANY,
            ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY)))
        if fout.errno:
            raise RuntimeError(f"describing the ACLs of {p}: {fout}")
        regels += [Regel.van(a) for a in acls]
    return regels


def _filter(r: Regel) -> ACLFilter:
    acl = r.acl()
    return ACLFilter(acl.principal, acl.host, acl.operation, acl.permission_type,
                     ResourcePatternFilter(acl.resource_pattern.resource_type,
                                           acl.resource_pattern.resource_name,
                                           acl.resource_pattern.pattern_type))


def _tekst(r: Regel) -> str:
    return (f"{r.principal}: {r.operatie} {r.soort.lower()} {r.naam}"
            + ("*" if r.patroon == PREFIX else ""))
