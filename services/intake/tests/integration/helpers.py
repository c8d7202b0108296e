from __future__ import annotations

import copy
import json
import random
from typing import Any

from shared.contracts.huizen import HuisId
from shared.contracts.topics import DJI_DETENTIE, POLITIE_MUTATIES, meldingen_topic
from shared.kafka_io import Record, lees
from shared.settings import KafkaSettings

HUIS_TOPICS = [meldingen_topic(h).naam for h in HuisId]


def data(r: Record) -> dict[str, Any]:
    """The event's data as a consumer with access to the key vault reads it (personal fields
    opened); the record itself holds only tokens."""
    from shared.persoonsgegevens import ontsleutel
    from shared.sleutelkluis import Sleutelkluis

    return ontsleutel(json.loads(r.waarde or b"{}"), Sleutelkluis.uit_omgeving())


def uniek(bericht: dict[str, Any], achtervoegsel: str) -> dict[str, Any]:
    """The same publisher message with its own ids, so tests sharing a broker stay apart."""
    b = copy.deepcopy(bericht)
    b["id"] = f"{b['id']}-{achtervoegsel}"
    sleutel = "mutatie_id" if "mutatie_id" in b["data"] else "bericht_id"
    b["data"][sleutel] = b["id"]
    return b


def feed_topic(bericht: dict[str, Any]) -> str:
    return POLITIE_MUTATIES.naam if bericht["type"].startswith("nl.politie") else DJI_DETENTIE.naam


def meldingen(kafka: KafkaSettings, referenties: set[str], timeout: float = 60) -> list[Record]:
    """Every melding on the house topics with one of these bron_referenties, once all arrived."""
    gelezen = lees(kafka, HUIS_TOPICS, timeout=timeout,
                   tot=lambda rs: referenties <= {data(r).get("bron_referentie") for r in rs})
    return [r for r in gelezen if data(r).get("bron_referentie") in referenties]


def bsn() -> str:
    """A random BSN that passes the eleven-test."""
    while True:
        cijfers = [random.randint(1, 9)] + [random.randint(0, 9) for _ in range(7)]
        som = sum(w * d for w, d in zip(range(9, 1, -1), cijfers, strict=True))
        laatste = som % 11
        if laatste <= 9 and som - laatste != 0:
            return "".join(map(str, cijfers)) + str(laatste)
