"""Every Kafka topic of the platform, with its partitions, retention and key.

Naming: provincial streams ``limburg.<stream>.v<N>``; a house's private streams
``vhh.<house>.<stream>.v<N>``, so that per-house access control can be a prefix ACL; a provincial
stream that houses write, one topic per sending house ``limburg.<stream>.<house>.v<N>``, so that a
literal WRITE ACL proves the sender.

The shared limburg.rapportage.cijfers.v1 and limburg.overdracht.v1 that every house could write
are retired: they are no longer in the registry, so `vhh acls apply` removes every ACL on them
and no service reads them (`vhh topics apply` never deletes a topic: the operator does, once
drained).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared import diensten
from shared.contracts.huizen import HuisId

DAG_MS = 24 * 60 * 60 * 1000
ONBEPERKT = -1


@dataclass(frozen=True)
class Topic:
    naam: str
    partities: int
    retentie_ms: int
    sleutel: str
    omschrijving: str
    compact: bool = False
    extra_config: dict[str, str] = field(default_factory=dict)

    def config(self) -> dict[str, str]:
        cfg = {
            "retention.ms": str(self.retentie_ms),
            "cleanup.policy": "compact" if self.compact else "delete",
        }
        return {**cfg, **self.extra_config}


LANDINGSZONE_MS = 7 * DAG_MS
"""The feeds are a landing zone: the police's and DJI's messages arrive readable, in their own
format. Intake registers them (encrypted per person) within seconds; an erasure deletes the
registered records at once (DeleteRecords) and the bytes leave the broker's disk when their
segment (rolled every hour) is deleted, at the latest after this period."""
_LANDINGSZONE = {"segment.ms": str(60 * 60 * 1000)}

POLITIE_MUTATIES = Topic(
    "limburg.politie.mutaties.v1", 3, LANDINGSZONE_MS, "mutatie_id (the police's own id)",
    "Police mutations for Eenheid Limburg, written by the police (nl.politie.bvh.mutatie.v1).",
    extra_config=_LANDINGSZONE,
)
DJI_DETENTIE = Topic(
    "limburg.dji.detentie.v1", 3, LANDINGSZONE_MS, "bericht_id (DJI's own id)",
    "Detention notices from DJI for persons registered in Limburg (nl.dji.detentie.v1).",
    extra_config=_LANDINGSZONE,
)
AFGEWEZEN_MS = 14 * DAG_MS
"""Dead letters hold a refused feed record encrypted with a key of its own, which the retention
round destroys after deploy/bewaartermijnen.toml's ``afgewezen`` days (14 by default); the
round also deletes the records before then, and the broker drops what is older than this."""
INTAKE_AFGEWEZEN = Topic(
    "limburg.intake.afgewezen.v1", 1, AFGEWEZEN_MS, "<topic>:<partition>:<offset> of the original",
    "Dead letters: feed records intake could not accept. The value is the original key, bytes "
    "and headers as one token (its own key, and the keys of the persons found in it); headers "
    "give the field and rule of each reason, never the refused value.",
    extra_config={"segment.ms": str(DAG_MS)},
)
INTAKE_OUTBOX_VOORTGANG = Topic(
    "limburg.intake.outbox-voortgang.v1", 1, ONBEPERKT, "relay name",
    "The outbox relay's last committed batch, written in the same Kafka transaction as the batch.",
    compact=True,
)

WISSINGEN = Topic(
    "limburg.wissingen.v1", 1, ONBEPERKT, "persoon_id",
    "Persons whose key was destroyed (nl.vhh.privacy.persoon-gewist.v1): every service purges "
    "its copies of their data. Pseudonymous ids only; kept, so that a rebuilt service purges too.",
)

AUDIT_ANKER_BEWAREN_MS = 7 * DAG_MS
AUDIT_ANKER = Topic(
    "limburg.audit.anker.v1", 1, ONBEPERKT, "the audit log's name (<purpose>/<database>)",
    "The head of every service's audit log (row id and seal, sealed with the log's key), "
    "anchored outside its database so that cutting the log back shows (shared/audit.py). "
    "Compaction keeps the newest anchor per log, and every anchor for at least a week: the "
    "verifier takes the highest, so a replayed older anchor does not lower it.",
    compact=True, extra_config={"min.compaction.lag.ms": str(AUDIT_ANKER_BEWAREN_MS)},
)


def meldingen_topic(huis: HuisId | str) -> Topic:
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.meldingen.v1", 3, ONBEPERKT, "persoon_id of the melding's main person",
        f"Meldingen registered for {huis} (nl.vhh.intake.melding-geregistreerd.v1).",
    )


def radicalisering_topic(huis: HuisId | str) -> Topic:
    """Signals of radicalisation: apart from the meldingen, so that neither the screening queue
    nor the provincial nazorg (which reads the meldingen of the houses it serves) ever receives
    them; intake has a literal WRITE on it, and the members' decisions go here too."""
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.radicalisering.v1", 1, ONBEPERKT, "melding_id",
        f"Signals of radicalisation for {huis}'s case meeting radicalisering, and its decisions "
        "(nl.vhh.intake.melding-geregistreerd.v1 with radicalisering, "
        "nl.vhh.triage.radicalisering-besloten.v1).",
    )


def triage_topic(huis: HuisId | str) -> Topic:
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.triage.v1", 3, ONBEPERKT, "melding_id",
        f"Triage of {huis}: advice given and decisions taken (nl.vhh.triage.*).",
    )


def casussen_topic(huis: HuisId | str) -> Topic:
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.casussen.v1", 3, ONBEPERKT, "casus_id",
        f"Cases under procesregie of {huis}: lifecycle, plan, actions, escalations "
        "(nl.vhh.regie.*).",
    )


def nazorg_topic(huis: HuisId | str) -> Topic:
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.nazorg.v1", 3, ONBEPERKT, "dossier_id",
        f"Aftercare dossiers of (ex-)prisoners for {huis} (nl.vhh.nazorg.*).",
    )


def huisverboden_topic(huis: HuisId | str) -> Topic:
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.huisverboden.v1", 3, ONBEPERKT, "huisverbod_id",
        f"Temporary restraining orders (Wet tijdelijk huisverbod) of {huis} "
        "(nl.vhh.regie.huisverbod-*).",
    )


def overdrachten_topic(huis: HuisId | str) -> Topic:
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.overdrachten.v1", 3, ONBEPERKT, "nieuwe casus_id",
        f"Cases other houses handed over to {huis}, passed on by the provincial router.",
    )


def rapportage_topic(huis: HuisId | str) -> Topic:
    """What a house's reporting records itself, as the other streams do: counted like them, so
    that a rebuild from the streams includes it."""
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.rapportage.v1", 1, ONBEPERKT, "registratie_id",
        f"Registrations of {huis}'s reporting that no other stream holds: the questions its "
        "consultation function answered (nl.vhh.reporting.consultatie-geregistreerd.v1).",
    )


def cijfers_topic(huis: HuisId | str) -> Topic:
    """One house's aggregate figures: only that house may write them (a literal WRITE ACL), so
    the topic names the sender; every house's reporting and the provincial one read them all."""
    huis = HuisId(huis)
    return Topic(
        f"limburg.rapportage.cijfers.{huis}.v1", 1, ONBEPERKT, "<huis>/<jaar>",
        f"Aggregate annual-report counts of {huis} per year, an input of the provincial "
        "overview: counts, never persons. One partition: its log order is the order of "
        "publication.",
        compact=True,
    )


def overdracht_topic(huis: HuisId | str) -> Topic:
    """The cases one house offers to others: only that house may write, only the provincial
    router reads (and checks that the offer is this house's)."""
    huis = HuisId(huis)
    return Topic(
        f"limburg.overdracht.{huis}.v1", 3, ONBEPERKT, "nieuwe casus_id",
        f"Cases {huis} hands over to another house (nl.vhh.regie.overdracht-aangeboden.v1); "
        "the provincial router passes each to the receiving house's overdrachten.",
    )


def zsm_terugmelding_topic(huis: HuisId | str) -> Topic:
    """One house's decisions back to ZSM: only that house may write (the topic proves the
    sender); the prosecutor's chain (principal ``zsm``) reads every house's."""
    huis = HuisId(huis)
    return Topic(
        f"limburg.zsm.terugmelding.{huis}.v1", 1, ONBEPERKT, "melding_id",
        f"{huis}'s decision on each person ZSM referred, under ZSM's reference "
        "(nl.vhh.triage.zsm-terugmelding.v1), for the prosecutor's chain.",
    )


def convenanten_topic(huis: HuisId | str) -> Topic:
    """One house's partner register, for the provincial router: only that house may write
    (the topic proves the sender), intake reads every house's to let only signed partners send
    meldingen."""
    huis = HuisId(huis)
    return Topic(
        f"limburg.convenanten.{huis}.v1", 1, ONBEPERKT, "organisatie",
        f"{huis}'s partner register (nl.vhh.regie.convenant-getekend.v1, "
        "-beeindigd.v1): organisations, never persons; the same events as on the house's "
        "casussen topic, for intake, which may not read that.",
    )


AFZENDERSTROMEN = (cijfers_topic, overdracht_topic, zsm_terugmelding_topic, convenanten_topic)
"""Provincial streams with one topic per sending house: the topic is the proof of the sender."""


def afzender(topicnaam: str) -> HuisId | None:
    """The house whose own provincial topic this is (see ``AFZENDERSTROMEN``), else None."""
    for huis in HuisId:
        if any(stroom(huis).naam == topicnaam for stroom in AFZENDERSTROMEN):
            return huis
    return None


def outbox_voortgang_topic(service: str) -> Topic:
    """The compacted progress topic of a service's outbox relay (see shared/outbox/relay.py)."""
    if service == "intake":
        return INTAKE_OUTBOX_VOORTGANG
    return Topic(
        f"limburg.{service}.outbox-voortgang.v1", 1, ONBEPERKT, "relay name",
        f"The {service} outbox relay's last committed batch, written in the same Kafka "
        "transaction as the batch.",
        compact=True,
    )


HUISSTROMEN = (meldingen_topic, triage_topic, casussen_topic, huisverboden_topic,
               overdrachten_topic, nazorg_topic, rapportage_topic, radicalisering_topic)
"""Every house-private stream, one topic per house each."""


def alle_topics() -> list[Topic]:
    """The whole registry: what `vhh topics apply` creates."""
    provinciaal = [POLITIE_MUTATIES, DJI_DETENTIE, INTAKE_AFGEWEZEN, INTAKE_OUTBOX_VOORTGANG,
                   WISSINGEN, AUDIT_ANKER]
    # Every service with an outbox relay has a progress topic (intake's is listed above).
    provinciaal += [outbox_voortgang_topic(s) for s in diensten.met_outbox() if s != "intake"]
    provinciaal += [stroom(huis) for stroom in AFZENDERSTROMEN for huis in HuisId]
    return provinciaal + [stroom(huis) for stroom in HUISSTROMEN for huis in HuisId]


def topic(naam: str) -> Topic:
    for t in alle_topics():
        if t.naam == naam:
            return t
    raise KeyError(f"{naam} is not in the topic registry")
