"""Triage's HTTP interface: the JSON API under /api/v1/triage and the workbench pages."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from fastapi import FastAPI

from services.triage import handlers
from services.triage.bootstrap import Triage
from services.triage.domain.besluit import Keuze
from services.triage.domain.groepering import groepeer
from services.triage.entrypoints import pages
from services.triage.entrypoints.schemas import (
    AdviesVraag,
    BesluitVerzoek,
    GroepUit,
    PersoonsbeeldUit,
    ScreeningUit,
    VerrijkingAntwoord,
    VerrijkingUit,
    VerrijkingVraag,
)
from services.triage.entrypoints.toegang import (
    LEZERS,
    SCHRIJVERS,
    eigen_screening,
    personen,
    te_beantwoorden,
)
from services.triage.entrypoints.weergave import persoonsbeeld, screening_uit
from services.triage.ports import Screening
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Advies, BesluitGenomen
from shared.kit.app import maak_app as kit_app
from shared.kit.fouten import NietGevonden
from shared.tijd import dag_van
from shared.toegang import Gebruiker, Ingelogd


def maak_app(triage: Triage) -> FastAPI:
    app = kit_app("triage", "Screening, enrichment with partners, the rules' advice and a "
                            "person's decision on every melding of a house.",
                  dienst=triage, toegang=triage.settings.toegang, audit=triage.audit)

    def vandaag() -> date:
        return dag_van(triage.klok())

    def lees(gebruiker: Gebruiker, melding_id: UUID) -> Screening:
        with triage.uow() as u:
            s = eigen_screening(u, melding_id, gebruiker)
        gebruiker.eis(*LEZERS)
        return s

    def schrijf(gebruiker: Gebruiker, melding_id: UUID, operatie: str) -> None:
        """Check before a change and record it: the melding is the own house's, the role may."""
        with triage.uow() as u:
            s = eigen_screening(u, melding_id, gebruiker)
        gebruiker.eis(*SCHRIJVERS)
        triage.audit.leg_vast(gebruiker, operatie, huis=s.melding.huis, object_ids=[melding_id],
                              persoon_ids=personen(s))

    @app.get("/api/v1/triage/{huis}/wachtrij", response_model=list[GroepUit])
    def wachtrij(huis: HuisId, gebruiker: Ingelogd) -> list[GroepUit]:
        """The screening queue of a house, grouped by person and household, earliest deadline
        first."""
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(*LEZERS)
        with triage.uow() as u:
            items = u.wachtrij(huis.value)
        triage.audit.leg_vast(gebruiker, "wachtrij_lezen", huis=huis,
                              object_ids=[s.melding.melding_id for s in items],
                              persoon_ids=[p for s in items for p in personen(s)])
        groepen = groepeer(items, [[b.persoon_id for b in s.melding.betrokkenen] for s in items])
        return [GroepUit(persoon_ids=sorted(g.persoon_ids, key=str),
                         meldingen=[screening_uit(s, vandaag()) for s in g.leden])
                for g in groepen]

    @app.get("/api/v1/triage/meldingen/{melding_id}", response_model=ScreeningUit)
    def melding(melding_id: UUID, gebruiker: Ingelogd) -> ScreeningUit:
        s = lees(gebruiker, melding_id)
        triage.audit.leg_vast(gebruiker, "screening_lezen", huis=s.melding.huis,
                              object_ids=[melding_id], persoon_ids=personen(s))
        return screening_uit(s, vandaag())

    @app.get("/api/v1/triage/personen/{persoon_id}", response_model=PersoonsbeeldUit)
    def persoon(persoon_id: UUID, gebruiker: Ingelogd) -> PersoonsbeeldUit:
        """What the user's house knows about a person: meldingen, decisions, open and closed
        cases."""
        with triage.uow() as u:
            beeld = persoonsbeeld(u, persoon_id, vandaag(), gebruiker.huis.value)
        if not beeld.meldingen:
            raise NietGevonden("persoon", persoon_id)
        gebruiker.eis(*LEZERS)
        triage.audit.leg_vast(gebruiker, "persoonsbeeld_lezen", huis=gebruiker.huis,
                              object_ids=[m.melding.melding_id for m in beeld.meldingen],
                              persoon_ids=[persoon_id])
        return beeld

    @app.post("/api/v1/triage/meldingen/{melding_id}/verrijkingen", status_code=201,
              response_model=VerrijkingUit)
    async def vraag_verrijking(melding_id: UUID, vraag: VerrijkingVraag,
                               gebruiker: Ingelogd) -> VerrijkingUit:
        """Ask a named partner organisation what it knows about the persons."""
        await asyncio.to_thread(schrijf, gebruiker, melding_id, "verrijking_vragen")
        v = await asyncio.to_thread(handlers.vraag_verrijking, melding_id, vraag.partner,
                                    vraag.vraag, gebruiker.naam, uow=triage.uow,
                                    klok=triage.klok)
        return VerrijkingUit.model_validate(v, from_attributes=True)

    @app.post("/api/v1/triage/verrijkingen/{verrijking_id}/antwoord",
              response_model=VerrijkingUit)
    async def beantwoord(verrijking_id: UUID, antwoord: VerrijkingAntwoord,
                         gebruiker: Ingelogd) -> VerrijkingUit:
        """Record a partner's answer: who gave it and when. A partner answers only questions
        addressed to its own organisation."""
        def controleer() -> None:
            with triage.uow() as u:
                vraag = te_beantwoorden(u, verrijking_id, gebruiker)
                s = eigen_screening(u, vraag.melding_id, gebruiker)
            triage.audit.leg_vast(gebruiker, "verrijking_beantwoorden", huis=s.melding.huis,
                                  object_ids=[verrijking_id, vraag.melding_id],
                                  persoon_ids=personen(s))

        await asyncio.to_thread(controleer)
        v = await asyncio.to_thread(handlers.beantwoord_verrijking, verrijking_id,
                                    antwoord.antwoord, [lg.value for lg in antwoord.leefgebieden],
                                    gebruiker.naam, uow=triage.uow, klok=triage.klok)
        return VerrijkingUit.model_validate(v, from_attributes=True)

    @app.post("/api/v1/triage/meldingen/{melding_id}/advies", response_model=Advies)
    async def advies(melding_id: UUID, vraag: AdviesVraag, gebruiker: Ingelogd) -> Advies:
        """Record the established facts; the rules advise a route and name the criteria met."""
        await asyncio.to_thread(schrijf, gebruiker, melding_id, "feiten_vastleggen")
        return await asyncio.to_thread(handlers.vraag_advies, melding_id, vraag.feiten,
                                       gebruiker.naam, uow=triage.uow, klok=triage.klok)

    @app.post("/api/v1/triage/meldingen/{melding_id}/besluit", status_code=201,
              response_model=BesluitGenomen)
    async def besluit(melding_id: UUID, verzoek: BesluitVerzoek,
                      gebruiker: Ingelogd) -> BesluitGenomen:
        """Decide: follow the advice, or override it with a motivation."""
        await asyncio.to_thread(schrijf, gebruiker, melding_id, "besluit_nemen")
        keuze = Keuze(verzoek.route, verzoek.soort, verzoek.motivering,
                      verzoek.terugverwijzen_naar)
        return await asyncio.to_thread(handlers.neem_besluit, melding_id, keuze, gebruiker.naam,
                                       uow=triage.uow, klok=triage.klok)

    pages.koppel(app, triage)
    return app
