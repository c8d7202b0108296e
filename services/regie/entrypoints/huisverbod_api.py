"""The restraining-order part of regie's HTTP interface: JSON API and workbench pages."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.regie import handlers
from services.regie.bootstrap import Regie
from services.regie.domain import huisverbod as hv_
from services.regie.domain.commando import RegieFout
from services.regie.domain.huisverbod import Huisverbod
from services.regie.entrypoints.schemas import Verzoek
from services.regie.entrypoints.toegang import (
    LEZERS,
    eigen_huisverbod,
    huisverbod_personen,
    mag_wijzigen,
    registreer_als,
)
from shared.contracts.huisverbod import Partij
from shared.contracts.huizen import HuisId
from shared.tijd import uit_formulier
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank import sjablonen
from shared.werkbank.taal import Veldfout, formulier_van, weigering


class RegistratieVerzoek(Verzoek):
    melding_id: UUID = Field(description="The melding the order follows; its persons are taken")


class RihgVerzoek(Verzoek):
    uitkomst: str = Field(min_length=1, max_length=200)


class OpleggenVerzoek(Verzoek):
    opgelegd_op: AwareDatetime | None = Field(default=None, description="Default: now")


class RedenVerzoek(Verzoek):
    reden: str = Field(min_length=1, max_length=4000)


class VerlengVerzoek(Verzoek):
    eindigt_op: AwareDatetime


class SamenloopVerzoek(Verzoek):
    toelichting: str = Field(default="", max_length=4000)


class CasemanagerVerzoek(Verzoek):
    casemanager: str = Field(min_length=1, max_length=200)


class HulpVerzoek(Verzoek):
    partij: Partij
    aanbieder: str = Field(min_length=1, max_length=200)
    omschrijving: str = Field(default="", max_length=2000)


class HuisverbodUit(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    huisverbod_id: UUID
    huis: str
    gemeentecode: str
    melding_id: UUID | None
    pleger_id: UUID
    slachtoffer_ids: list[UUID]
    kind_ids: list[UUID]
    status: str
    rihg_uitkomst: str | None
    opgelegd_op: datetime | None
    eindigt_op: datetime | None
    beslissen_voor: datetime | None = Field(description="Decide on extension before this moment")
    uiterste_einde: datetime | None = Field(description="28 days after imposing")
    samenloop_strafrecht: bool
    casemanager: str | None
    hulp: list[dict[str, str]]
    alarm: bool = Field(description="The extension decision is due within the alarm window")


def huisverbod_uit(hv: Huisverbod, nu: datetime, vooraf: timedelta) -> HuisverbodUit:
    return HuisverbodUit(
        huisverbod_id=hv.huisverbod_id, huis=hv.huis, gemeentecode=hv.gemeentecode,
        melding_id=hv.melding_id, pleger_id=hv.pleger_id, slachtoffer_ids=list(hv.slachtoffer_ids),
        kind_ids=list(hv.kind_ids), status=hv.actuele_status(nu).value,
        rihg_uitkomst=hv.rihg_uitkomst, opgelegd_op=hv.opgelegd_op, eindigt_op=hv.eindigt_op,
        beslissen_voor=hv.beslissen_voor, uiterste_einde=hv.uiterste_einde,
        samenloop_strafrecht=hv.samenloop_strafrecht, casemanager=hv.casemanager,
        hulp=[{"partij": p, "aanbieder": a, "omschrijving": o} for p, a, o in hv.hulp],
        alarm=bool(hv.beslissen_voor and hv.beslissen_voor - vooraf <= nu < hv.beslissen_voor),
    )


def koppel(app: FastAPI, regie: Regie) -> None:
    router = APIRouter(prefix="/api/v1/regie", tags=["huisverbod"])
    vooraf = timedelta(hours=regie.settings.huisverbod_alarm_uren)

    @app.exception_handler(handlers.HuisverbodNietGevonden)
    async def _niet_gevonden(request: Request, fout: Exception) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(fout)})

    def uit(hv: Huisverbod) -> HuisverbodUit:
        return huisverbod_uit(hv, regie.klok(), vooraf)

    async def uitvoeren(huisverbod_id: UUID, gebruiker: Gebruiker,
                        beslis: handlers.HuisverbodBeslisser) -> HuisverbodUit:
        await asyncio.to_thread(mag_wijzigen, regie, huisverbod_id, gebruiker,
                                "huisverbod_wijzigen")
        return uit(await asyncio.to_thread(handlers.voer_uit_huisverbod, huisverbod_id, beslis,
                                           uow=regie.uow))

    @router.post("/huisverboden", status_code=201, response_model=HuisverbodUit)
    async def registreer(v: RegistratieVerzoek, gebruiker: Ingelogd) -> HuisverbodUit:
        """Register a restraining order following a melding (RIHG and imposing follow)."""
        hv = await asyncio.to_thread(registreer_als, regie, v.melding_id, gebruiker)
        return uit(hv)

    @router.get("/{huis}/huisverboden", response_model=list[HuisverbodUit])
    def lijst(huis: HuisId, gebruiker: Ingelogd) -> list[HuisverbodUit]:
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(*LEZERS)
        with regie.uow() as u:
            ids = [r.huisverbod_id for r in u.huisverboden.lijst(huis.value)]
            rijen = [hv for i in ids if (hv := u.huisverboden.laad(i)) is not None]
        regie.audit.leg_vast(gebruiker, "huisverboden_lezen", huis=huis, object_ids=ids,
                             persoon_ids=[p for hv in rijen for p in huisverbod_personen(hv)])
        return [uit(hv) for hv in rijen]

    @router.get("/huisverboden/{huisverbod_id}", response_model=HuisverbodUit)
    def lees(huisverbod_id: UUID, gebruiker: Ingelogd) -> HuisverbodUit:
        hv = eigen_huisverbod(regie, huisverbod_id, gebruiker)
        regie.audit.leg_vast(gebruiker, "huisverbod_lezen", huis=hv.huis,
                             object_ids=[huisverbod_id], persoon_ids=huisverbod_personen(hv))
        return uit(hv)

    @router.post("/huisverboden/{huisverbod_id}/rihg", response_model=HuisverbodUit)
    async def rihg(huisverbod_id: UUID, v: RihgVerzoek, gebruiker: Ingelogd) -> HuisverbodUit:
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.vul_rihg_in(
            x, v.uitkomst, gebruiker.naam, regie.klok()))

    @router.post("/huisverboden/{huisverbod_id}/opleggen", response_model=HuisverbodUit)
    async def opleggen(huisverbod_id: UUID, v: OpleggenVerzoek, gebruiker: Ingelogd
                       ) -> HuisverbodUit:
        """Impose for ten days from the moment of imposing."""
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.leg_op(
            x, v.opgelegd_op or regie.klok(), gebruiker.naam, regie.klok()))

    @router.post("/huisverboden/{huisverbod_id}/niet-opleggen", response_model=HuisverbodUit)
    async def niet_opleggen(huisverbod_id: UUID, v: RedenVerzoek, gebruiker: Ingelogd
                            ) -> HuisverbodUit:
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.leg_niet_op(
            x, v.reden, gebruiker.naam, regie.klok()))

    @router.post("/huisverboden/{huisverbod_id}/verlengen", response_model=HuisverbodUit)
    async def verlengen(huisverbod_id: UUID, v: VerlengVerzoek, gebruiker: Ingelogd
                        ) -> HuisverbodUit:
        """Extend, decided before the ten days end, to at most 28 days after imposing."""
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.verleng(
            x, v.eindigt_op, gebruiker.naam, regie.klok()))

    @router.post("/huisverboden/{huisverbod_id}/intrekken", response_model=HuisverbodUit)
    async def intrekken(huisverbod_id: UUID, v: RedenVerzoek, gebruiker: Ingelogd) -> HuisverbodUit:
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.trek_in(
            x, v.reden, gebruiker.naam, regie.klok()))

    @router.post("/huisverboden/{huisverbod_id}/samenloop", response_model=HuisverbodUit)
    async def samenloop(huisverbod_id: UUID, v: SamenloopVerzoek, gebruiker: Ingelogd
                        ) -> HuisverbodUit:
        """Record that criminal proceedings run alongside (samenloop strafrecht)."""
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.samenloop(
            x, v.toelichting, gebruiker.naam, regie.klok()))

    @router.post("/huisverboden/{huisverbod_id}/casemanager", response_model=HuisverbodUit)
    async def casemanager(huisverbod_id: UUID, v: CasemanagerVerzoek, gebruiker: Ingelogd
                          ) -> HuisverbodUit:
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.wijs_casemanager_toe(
            x, v.casemanager, gebruiker.naam, regie.klok()))

    @router.post("/huisverboden/{huisverbod_id}/hulp", response_model=HuisverbodUit)
    async def hulp(huisverbod_id: UUID, v: HulpVerzoek, gebruiker: Ingelogd) -> HuisverbodUit:
        """Help offered to one of the parties: pleger, slachtoffer or kinderen."""
        return await uitvoeren(huisverbod_id, gebruiker, lambda x: hv_.bied_hulp_aan(
            x, v.partij, v.aanbieder, v.omschrijving, gebruiker.naam, regie.klok()))

    app.include_router(router)
    _koppel_paginas(app, regie, uit)


def _koppel_paginas(app: FastAPI, regie: Regie, uit: Any) -> None:
    templates = sjablonen(Path(__file__).parents[1] / "templates")

    def toon(request: Request, naam: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, naam, context, status_code=status)

    @app.get("/werkbank/{huis}/huisverboden", response_class=HTMLResponse,
             include_in_schema=False)
    def lijst(request: Request, huis: HuisId, gebruiker: Ingelogd) -> HTMLResponse:
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(*LEZERS)
        with regie.uow() as u:
            ids = [r.huisverbod_id for r in u.huisverboden.lijst(huis.value)]
            orders = [hv for i in ids if (hv := u.huisverboden.laad(i)) is not None]
        regie.audit.leg_vast(gebruiker, "huisverboden_lezen", huis=huis, object_ids=ids,
                             persoon_ids=[p for hv in orders for p in huisverbod_personen(hv)])
        return toon(request, "huisverboden.html", huis=huis.value,
                    rijen=[uit(hv) for hv in orders], gebruiker=gebruiker.naam)

    def pagina(request: Request, huisverbod_id: UUID, gebruiker: Gebruiker,
               fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
        try:
            hv = eigen_huisverbod(regie, huisverbod_id, gebruiker)
        except handlers.HuisverbodNietGevonden as nf:
            raise HTTPException(404, str(nf)) from nf
        regie.audit.leg_vast(gebruiker, "huisverbod_lezen", huis=hv.huis,
                             object_ids=[huisverbod_id], persoon_ids=huisverbod_personen(hv))
        h = uit(hv)
        nu = regie.klok()
        resterend = (h.beslissen_voor - nu) if h.beslissen_voor else None
        return toon(request, "huisverbod.html", status, huis=hv.huis, h=h, nu=nu,
                    resterend=resterend, partijen=list(Partij), melding_fout=fout,
                    gebruiker=gebruiker.naam)

    @app.get("/werkbank/huisverboden/{huisverbod_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def toon_huisverbod(request: Request, huisverbod_id: UUID,
                        gebruiker: Ingelogd) -> HTMLResponse:
        return pagina(request, huisverbod_id, gebruiker)

    @app.post("/werkbank/huisverboden", include_in_schema=False)
    async def registreer(request: Request, gebruiker: Ingelogd) -> Response:
        form = await request.form()
        try:
            melding_id = UUID(str(form.get("melding_id")))
            hv = await asyncio.to_thread(registreer_als, regie, melding_id, gebruiker)
        except (ValueError, RegieFout) as fout:
            raise HTTPException(422, str(fout)) from fout
        return RedirectResponse(f"/werkbank/huisverboden/{hv.huisverbod_id}", status_code=303)

    @app.post("/werkbank/huisverboden/{huisverbod_id}/{stap}", include_in_schema=False)
    async def stap(request: Request, huisverbod_id: UUID, stap: str,
                   gebruiker: Ingelogd) -> Response:
        form = await request.form()
        door = gebruiker.naam
        nu = regie.klok()

        def tekst(veld: str) -> str:
            return str(form.get(veld) or "").strip()

        def moment(veld: str) -> datetime:
            try:
                # a datetime-local field: Dutch time, whatever the server's zone
                return uit_formulier(tekst(veld))
            except ValueError:
                raise RegieFout(veld, "give a date and time") from None

        def partij() -> Partij:
            try:
                return Partij(tekst("partij"))
            except ValueError:
                raise RegieFout("partij", "choose one of "
                                + ", ".join(p.value for p in Partij)) from None

        stappen = {
            "rihg": lambda x: hv_.vul_rihg_in(x, tekst("uitkomst"), door, nu),
            "opleggen": lambda x: hv_.leg_op(x, nu, door, nu),
            "niet-opleggen": lambda x: hv_.leg_niet_op(x, tekst("reden"), door, nu),
            "verlengen": lambda x: hv_.verleng(x, moment("eindigt_op"), door, nu),
            "intrekken": lambda x: hv_.trek_in(x, tekst("reden"), door, nu),
            "samenloop": lambda x: hv_.samenloop(x, tekst("toelichting"), door, nu),
            "casemanager": lambda x: hv_.wijs_casemanager_toe(x, tekst("casemanager"), door, nu),
            "hulp": lambda x: hv_.bied_hulp_aan(x, partij(), tekst("aanbieder"),
                                                tekst("omschrijving"), door, nu),
        }
        if stap not in stappen:
            raise HTTPException(404, f"no step {stap}")
        try:
            await asyncio.to_thread(mag_wijzigen, regie, huisverbod_id, gebruiker,
                                    f"huisverbod_{stap}")
            await asyncio.to_thread(handlers.voer_uit_huisverbod, huisverbod_id, stappen[stap],
                                    uow=regie.uow)
        except handlers.HuisverbodNietGevonden as nf:
            raise HTTPException(404, str(nf)) from nf
        except RegieFout as fout:
            return pagina(request, huisverbod_id, gebruiker,
                          weigering(fout.veld, fout.reden, formulier_van(request.url.path)), 422)
        return RedirectResponse(f"/werkbank/huisverboden/{huisverbod_id}", status_code=303)
