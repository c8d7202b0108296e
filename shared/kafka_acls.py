"""The platform's Kafka principals and their ACLs, derived from the topic registry and the house
configurations (deploy/huizen/*.toml), and applied idempotently (`vhh acls apply`).

Nobody writes an ACL by hand: a new house in ``HuisId`` and ``deploy/huizen/`` gets its topics,
its principal and its ACLs from the same command. Every rule allows; the broker denies the rest
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

from shared.contracts.huizen import HuisId
from shared.contracts.topics import (
    AUDIT_ANKER,
    DJI_DETENTIE,
    INTAKE_AFGEWEZEN,
    INTAKE_OUTBOX_VOORTGANG,
    POLITIE_MUTATIES,
    WISSINGEN,
    cijfers_topic,
    meldingen_topic,
    nazorg_topic,
    outbox_voortgang_topic,
    overdracht_topic,
    overdrachten_topic,
)
from shared.huisdeployment import Huisdeployment, alle
from shared.settings import KafkaSettings

BEHEER = "beheer"
INTAKE = "intake"
POLITIE = "politie"
DJI = "dji"
RAPPORTAGE_PROVINCIE = "rapportage-provincie"
NAZORG_PROVINCIE = "nazorg-provincie"

INTAKE_GROEP = "vhh-intake-feeds"
"""The faust app id of intake's feeds: its consumer group."""
INTAKE_RELAY = "outbox-relay.intake"
"""A prefix: intake's relays are named intake (the default), intake-<something> beside it."""
NAZORG_GROEP, NAZORG_RELAY = "vhh-nazorg", "outbox-relay.nazorg"
"""Prefixes: the provincial nazorg is named nazorg (the default), nazorg-<something> beside it."""
RAPPORTAGE_PROVINCIE_GROEP = "vhh-rapportage-provincie"

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


def huis_regels(d: Huisdeployment) -> list[Regel]:
    """A house: its own topics, groups and transactional ids, and what its own services need of
    the provincial topics (their relays' progress, reporting's aggregate figures, hand-overs).
    Of the provincial topics with one topic per sender it writes its own only."""
    p, h = huis_principal(d.huis), d.huis.value
    regels = [*_topic(p, f"vhh.{h}.", LEZEN, SCHRIJVEN, patroon=PREFIX),
              *_groep(p, f"vhh-{h}.", PREFIX),
              *_transactie(p, f"outbox-relay.{h}.", PREFIX)]
    for s in d.eigen:
        regels += _topic(p, outbox_voortgang_topic(s).naam, LEZEN, SCHRIJVEN)
    if "reporting" in d.eigen:
        # It publishes its own figures, and shows the provincial overview from everyone's.
        regels += _topic(p, cijfers_topic(d.huis).naam, SCHRIJVEN)
        for h in HuisId:
            regels += _topic(p, cijfers_topic(h).naam, LEZEN)
    # Every service purges its copies of an erased person's data.
    regels += _topic(p, WISSINGEN.naam, LEZEN)
    # Its services' API processes anchor their audit logs' heads and read them back to verify.
    regels += _topic(p, AUDIT_ANKER.naam, LEZEN, SCHRIJVEN)
    if "regie" in d.eigen:
        # Hand-overs go out through the provincial router; a house may offer, never read them.
        regels += _topic(p, overdracht_topic(d.huis).naam, SCHRIJVEN)
    return regels


def gewenste_regels(deployments: Iterable[Huisdeployment] | None = None) -> list[Regel]:
    """Every ACL the platform wants, sorted."""
    deployments = list(deployments if deployments is not None else alle())
    huizen = [d.huis for d in deployments]
    regels: list[Regel] = []
    for d in deployments:
        regels += huis_regels(d)
    # The provincial router: reads both feeds, routes into every house's meldingen topic.
    # ... and empties them once registered (DeleteRecords): they are a landing zone.
    for feed in (POLITIE_MUTATIES, DJI_DETENTIE):
        regels += _topic(INTAKE, feed.naam, LEZEN, "DELETE")
    for h in huizen:
        regels += _topic(INTAKE, meldingen_topic(h).naam, SCHRIJVEN)
        regels += _topic(INTAKE, overdrachten_topic(h).naam, SCHRIJVEN)
    # ... and passes each hand-over on to the receiving house (a house's offers on its own topic).
    for h in huizen:
        regels += _topic(INTAKE, overdracht_topic(h).naam, LEZEN)
    for t in (INTAKE_AFGEWEZEN, INTAKE_OUTBOX_VOORTGANG):
        regels += _topic(INTAKE, t.naam, LEZEN, SCHRIJVEN)
    # ... and drops dead letters past their period (DeleteRecords).
    regels += _topic(INTAKE, INTAKE_AFGEWEZEN.naam, "DELETE")
    # Its retention clock erases who is past their period (shared/wissing.py).
    regels += _topic(INTAKE, WISSINGEN.naam, LEZEN, SCHRIJVEN)
    regels += _groep(INTAKE, INTAKE_GROEP) + _transactie(INTAKE, INTAKE_RELAY, PREFIX)
    # Intake's API anchors its audit log, as the provincial nazorg's does below.
    regels += _topic(INTAKE, AUDIT_ANKER.naam, LEZEN, SCHRIJVEN)
    # Feed publishers write their own feed and nothing else; reading it back is not theirs.
    regels += _topic(POLITIE, POLITIE_MUTATIES.naam, SCHRIJVEN)
    regels += _topic(DJI, DJI_DETENTIE.naam, SCHRIJVEN)
    # Provincial reporting: the aggregate figures only, never a house stream.
    for h in HuisId:
        regels += _topic(RAPPORTAGE_PROVINCIE, cijfers_topic(h).naam, LEZEN)
    regels += _groep(RAPPORTAGE_PROVINCIE, RAPPORTAGE_PROVINCIE_GROEP, PREFIX)
    # Provincial nazorg: the meldingen in and aftercare dossiers out of the houses that rely on
    # it (deploy/huizen/*.toml), never of a house that runs its own nazorg.
    for h in (d.huis for d in deployments if "nazorg" in d.provinciaal):
        regels += _topic(NAZORG_PROVINCIE, meldingen_topic(h).naam, LEZEN)
        regels += _topic(NAZORG_PROVINCIE, nazorg_topic(h).naam, SCHRIJVEN)
    regels += _topic(NAZORG_PROVINCIE, outbox_voortgang_topic("nazorg").naam, LEZEN, SCHRIJVEN)
    regels += _topic(NAZORG_PROVINCIE, WISSINGEN.naam, LEZEN)
    regels += _topic(NAZORG_PROVINCIE, AUDIT_ANKER.naam, LEZEN, SCHRIJVEN)
    regels += (_groep(NAZORG_PROVINCIE, NAZORG_GROEP, PREFIX)
               + _transactie(NAZORG_PROVINCIE, NAZORG_RELAY, PREFIX))
    return sorted(set(regels))


def principals(deployments: Iterable[Huisdeployment] | None = None) -> list[str]:
    """Every principal the platform manages (beheer is the broker's own super user)."""
    deployments = list(deployments if deployments is not None else alle())
    return [*(huis_principal(d.huis) for d in deployments), INTAKE, POLITIE, DJI,
            RAPPORTAGE_PROVINCIE, NAZORG_PROVINCIE]


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
