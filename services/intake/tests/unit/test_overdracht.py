"""The provincial router's check of a hand-over offer: the topic it came on proves the sending
house (only that house may write it), so an offer that claims another sender is set aside."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.intake.handlers import verwerkingen
from shared.contracts import regie as r
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.topics import INTAKE_AFGEWEZEN, overdracht_topic, overdrachten_topic
from shared.kafka_io import Record
from shared.sleutelkluis import Sleutelkluis


@dataclass
class _Opslag:
    """The part of intake's unit of work the router uses, in memory; factory and unit of work
    in one."""

    weggezet: list[Any] = field(default_factory=list)
    uitgaand: list[str] = field(default_factory=list)
    gezien: set[str] = field(default_factory=set)

    def voeg_toe(self, afgewezen: Any) -> None:
        self.weggezet.append(afgewezen)

    def bekend(self, *plaats: Any) -> bool:
        return False

    def zoek(self, sleutels: Any) -> list[Any]:
        return []

    def stuur_door(self, topic: str, *args: Any) -> None:
        self.uitgaand.append(topic)

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        nieuw = event_id not in self.gezien
        self.gezien.add(event_id)
        return nieuw

    def commit(self) -> None:
        pass

    @property
    def afgewezen(self) -> _Opslag:
        return self

    @property
    def personen(self) -> _Opslag:
        return self

    @contextlib.contextmanager
    def __call__(self) -> Iterator[_Opslag]:
        yield self


def _aanbod(topic_huis: HuisId, van_huis: HuisId) -> Record:
    """An offer of a case to Parkstad (Heerlen), claiming ``van_huis``, on ``topic_huis``'s
    own hand-over topic."""
    nu, nieuw = datetime.now(UTC), uuid.uuid4()
    overgenomen = r.CasusOvergenomen(
        casus_id=nieuw, huis=HuisId.PARKSTAD, op=nu, door="P", van_huis=van_huis,
        van_casus_id=uuid.uuid4(), reden="verhuisd", hoofdpersoon_id=uuid.uuid4(),
        persoon_ids=[], melding_ids=[], doelgroep="overig", gemeentecode="GM0917",
        traject="lang", soort="top_x", melding_ontvangen_op=nu, doelen=[], open_acties=[])
    headers, waarde = CloudEvent(
        type=r.OVERDRACHT_AANGEBODEN_V1, source="/vhh/regie", id=str(nieuw),
        data=r.OverdrachtAangeboden(overdracht=overgenomen).model_dump(mode="json")).to_binary()
    return Record(overdracht_topic(topic_huis).naam, 0, 0, str(nieuw).encode(), waarde,
                  list(headers))


def _door(record: Record, opslag: _Opslag) -> None:
    """The router's step, through the feeds process's consumer, with the key vault of the test
    run for what it sets aside."""
    from services.intake.domain.routering import RouteringsRegels

    _, verwerking = verwerkingen(
        opslag, kluis=Sleutelkluis.uit_omgeving(), geheim=b"g" * 32,
        regels=RouteringsRegels(standaard_huis=HuisId.NOORD_LIMBURG, inrichtingen={}),
    )["overdracht"]
    verwerking.verwerk_een(record)


def test_an_offer_on_the_sending_houses_own_topic_is_passed_on():
    opslag = _Opslag()
    _door(_aanbod(HuisId.MAASTRICHT_HEUVELLAND, HuisId.MAASTRICHT_HEUVELLAND), opslag)
    assert not opslag.weggezet
    assert opslag.uitgaand == [overdrachten_topic(HuisId.PARKSTAD).naam]


def test_an_offer_claiming_another_sender_is_set_aside_and_not_passed_on():
    """Noord-Limburg offers a case as if Maastricht-Heuvelland handed it over."""
    opslag = _Opslag()
    vals = _aanbod(HuisId.NOORD_LIMBURG, HuisId.MAASTRICHT_HEUVELLAND)
    _door(vals, opslag)
    [afgewezen] = opslag.weggezet
    assert [f.veld for f in afgewezen.fouten] == ["overdracht.van_huis"]
    assert "an offer of maastricht-heuvelland on limburg.overdracht.noord-limburg.v1" in str(
        afgewezen.fouten[0])
    assert opslag.uitgaand == [INTAKE_AFGEWEZEN.naam]
    assert (afgewezen.topic, afgewezen.partitie, afgewezen.offset) == (
        vals.topic, vals.partitie, vals.offset)
