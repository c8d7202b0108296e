"""Every Kafka topic of the platform, with its partitions, retention and key.

Naming: provincial streams ``limburg.<stream>.v<N>``; a house's private streams
``vhh.<house>.<stream>.v<N>``, so that per-house access control can be a prefix ACL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

RAPPORTAGE_CIJFERS = Topic(
    "limburg.rapportage.cijfers.v1", 1, ONBEPERKT, "<huis>/<jaar>",
    "Aggregate annual-report counts per house and year, the only input of the provincial "
    "overview: counts, never persons.",
    compact=True,
)

OVERDRACHT = Topic(
    "limburg.overdracht.v1", 3, ONBEPERKT, "nieuwe casus_id",
    "Cases a house hands over to another (nl.vhh.regie.overdracht-aangeboden.v1). Houses write, "
    "only the provincial router reads, and passes each to the receiving house's overdrachten.",
)

WISSINGEN = Topic(
    "limburg.wissingen.v1", 1, ONBEPERKT, "persoon_id",
    "Persons whose key was destroyed (nl.vhh.privacy.persoon-gewist.v1): every service purges "
    "its copies of their data. Pseudonymous ids only; kept, so that a rebuilt service purges too.",
)


def meldingen_topic(huis: HuisId | str) -> Topic:
    huis = HuisId(huis)
    return Topic(
        f"vhh.{huis}.meldingen.v1", 3, ONBEPERKT, "persoon_id of the melding's main person",
        f"Meldingen registered for {huis} (nl.vhh.intake.melding-geregistreerd.v1).",
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
               overdrachten_topic, nazorg_topic)
"""Every house-private stream, one topic per house each."""


def alle_topics() -> list[Topic]:
    """The whole registry: what `vhh topics apply` creates."""
    provinciaal = [POLITIE_MUTATIES, DJI_DETENTIE, INTAKE_AFGEWEZEN, INTAKE_OUTBOX_VOORTGANG,
                   RAPPORTAGE_CIJFERS, OVERDRACHT, WISSINGEN]
    provinciaal += [outbox_voortgang_topic(s) for s in ("triage", "regie", "nazorg", "reporting")]
    return provinciaal + [stroom(huis) for stroom in HUISSTROMEN for huis in HuisId]


def topic(naam: str) -> Topic:
    for t in alle_topics():
        if t.naam == naam:
            return t
    raise KeyError(f"{naam} is not in the topic registry")
