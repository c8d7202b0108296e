"""Storage of triage's special flows: signals of radicalisation (apart from the screening
queue) and Veilig Thuis's enrichment requests."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.triage.adapters import tabellen as t
from services.triage.ports import RadicaliseringSignaal, VtVerzoek
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.radicalisering import RadicaliseringBesloten
from shared.contracts.veilig_thuis import Deelbaar
from shared.persoonsgegevens import GEWIST, wis_uit


class SqlRadicalisering:
    def __init__(self, session: Session) -> None:
        self.session = session

    def voeg_toe(self, melding: MeldingGeregistreerd) -> None:
        r = t.radicalisering
        if self.session.scalar(select(r.c.melding_id).where(r.c.melding_id == melding.melding_id)):
            return
        self.session.execute(insert(r).values(
            melding_id=melding.melding_id, huis=melding.huis.value,
            ontvangen_op=melding.ontvangen_op,
            persoon_ids=[str(p) for p in dict.fromkeys(b.persoon_id for b in melding.betrokkenen)],
            gegevens=melding.model_dump(mode="json")))

    def get(self, melding_id: UUID) -> RadicaliseringSignaal | None:
        rij = self.session.execute(select(t.radicalisering)
                                   .where(t.radicalisering.c.melding_id == melding_id)).first()
        return _signaal(rij) if rij else None

    def lijst(self, huis: str) -> list[RadicaliseringSignaal]:
        r = t.radicalisering
        return [_signaal(rij) for rij in self.session.execute(
            select(r).where(r.c.huis == huis).order_by(r.c.ontvangen_op.desc()))]

    def leg_besluit_vast(self, besluit: RadicaliseringBesloten) -> None:
        self.session.execute(update(t.radicalisering)
                             .where(t.radicalisering.c.melding_id == besluit.melding_id)
                             .values(besluit=besluit.model_dump(mode="json")))

    def wis_persoon(self, persoon_id: UUID) -> None:
        r = t.radicalisering
        for rij in self.session.execute(select(r)):
            if str(persoon_id) not in rij.persoon_ids:
                continue
            self.session.execute(update(r).where(r.c.melding_id == rij.melding_id).values(
                gegevens=wis_uit(MeldingGeregistreerd, rij.gegevens, persoon_id),
                besluit=(wis_uit(RadicaliseringBesloten, rij.besluit, persoon_id)
                         if rij.besluit else None)))


def _signaal(rij: Any) -> RadicaliseringSignaal:
    return RadicaliseringSignaal(
        melding=MeldingGeregistreerd.model_validate(rij.gegevens),
        besluit=RadicaliseringBesloten.model_validate(rij.besluit) if rij.besluit else None)


class SqlVtVerzoeken:
    def __init__(self, session: Session) -> None:
        self.session = session

    def voeg_toe(self, v: VtVerzoek) -> None:
        self.session.execute(insert(t.vt_verzoek).values(
            verzoek_id=v.verzoek_id, huis=v.huis, vt_referentie=v.vt_referentie,
            organisatie=v.organisatie, achternaam=v.achternaam, voornamen=v.voornamen,
            geboortedatum=v.geboortedatum, vraag=v.vraag, ontvangen_op=v.ontvangen_op))

    def get(self, verzoek_id: UUID) -> VtVerzoek | None:
        rij = self.session.execute(select(t.vt_verzoek)
                                   .where(t.vt_verzoek.c.verzoek_id == verzoek_id)).first()
        return _verzoek(rij) if rij else None

    def op_referentie(self, huis: str, organisatie: str, vt_referentie: str) -> VtVerzoek | None:
        v = t.vt_verzoek
        rij = self.session.execute(select(v).where(
            v.c.huis == huis, v.c.organisatie == organisatie,
            v.c.vt_referentie == vt_referentie)).first()
        return _verzoek(rij) if rij else None

    def lijst(self, huis: str) -> list[VtVerzoek]:
        v = t.vt_verzoek
        return [_verzoek(rij) for rij in self.session.execute(
            select(v).where(v.c.huis == huis).order_by(v.c.ontvangen_op.desc()))]

    def beantwoord(self, v: VtVerzoek) -> None:
        self.session.execute(update(t.vt_verzoek)
                             .where(t.vt_verzoek.c.verzoek_id == v.verzoek_id)
                             .values(persoon_id=v.persoon_id,
                                     deelbaar=v.deelbaar.value if v.deelbaar else None,
                                     antwoord=v.antwoord, beantwoord_door=v.beantwoord_door,
                                     beantwoord_op=v.beantwoord_op))

    def wis_persoon(self, persoon_id: UUID) -> None:
        """An erased person, or an expired request's own key (its ``verzoek_id``): the
        request's personal fields are blanked; ids, dates and the kind of answer stay."""
        v = t.vt_verzoek
        self.session.execute(update(v).where(
            (v.c.persoon_id == persoon_id) | (v.c.verzoek_id == persoon_id))
            .values(achternaam=GEWIST, voornamen=None, geboortedatum=None, vraag=GEWIST,
                    antwoord=None))


def _verzoek(rij: Any) -> VtVerzoek:
    return VtVerzoek(
        verzoek_id=rij.verzoek_id, huis=rij.huis, vt_referentie=rij.vt_referentie,
        organisatie=rij.organisatie, achternaam=rij.achternaam, voornamen=rij.voornamen,
        geboortedatum=rij.geboortedatum, vraag=rij.vraag, ontvangen_op=rij.ontvangen_op,
        persoon_id=rij.persoon_id, deelbaar=Deelbaar(rij.deelbaar) if rij.deelbaar else None,
        antwoord=rij.antwoord, beantwoord_door=rij.beantwoord_door,
        beantwoord_op=rij.beantwoord_op)
