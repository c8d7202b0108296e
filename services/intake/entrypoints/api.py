"""Intake's HTTP API: partners send meldingen, operators see refused feed records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi import FastAPI, HTTPException, Query, Response, status
from fastapi.exceptions import RequestValidationError

from services.intake.bootstrap import Intake
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.entrypoints.schemas import (
    Aantal,
    AfgewezenBericht,
    AfgewezenLijst,
    MeldingAanvraag,
    MeldingIngediend,
    MeldingOntvangen,
)
from services.intake.entrypoints.toegang import afgewezen_bereik
from services.intake.handlers import registreer_melding
from shared.audit_api import koppel_audit
from shared.contracts.huizen import bestaat_op, dag_van, niet_op
from shared.contracts.intake import MeldingGeregistreerd
from shared.kit.observability import installeer_observability
from shared.persoonsgegevens import ontsleutel
from shared.telemetry import huidige_traceparent
from shared.toegang import Gebruiker, Ingelogd, Rol, installeer

# A clock skew of a few minutes is normal; a melding from tomorrow is a typo.
_TOEGESTANE_KLOKAFWIJKING = timedelta(minutes=5)
# The earliest history a beheerder loads: older is a typo, and a date near year 1 overflows the
# deadlines computed from it.
VROEGST_ONTVANGEN = datetime(2000, 1, 1, tzinfo=UTC)


def maak_app(intake: Intake) -> FastAPI:
    app = FastAPI(
        title="VHH Limburg: intake",
        version="1.0",
        description="Registers meldingen for the Zorg- en Veiligheidshuizen in Limburg and "
                    "routes each to the house of its municipality.",
    )
    installeer(app, intake.settings.toegang)

    installeer_observability(app, "intake", intake)

    @app.post("/api/v1/meldingen", status_code=status.HTTP_201_CREATED,
              response_model=MeldingOntvangen,
              responses={200: {"model": MeldingOntvangen,
                               "description": "Already registered: the same id, nothing new"},
                         409: {"description": "The reference was used before, in a melding "
                                              "that is not yours to see"}})
    def melding_indienen(aanvraag: MeldingAanvraag, response: Response,
                         gebruiker: Ingelogd) -> MeldingOntvangen:
        """Register a melding and route it to the right safety house. A partner sends in the
        name of its own organisation (the token's) and with its token's herkomst (``bron``),
        dated now; a beheerder for any, and may load a house's history with ``ontvangen_op``."""
        if not (gebruiker.is_organisatie(aanvraag.organisatie) or gebruiker.heeft(Rol.BEHEERDER)):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                "organisatie must be the organisation of your token")
        nu = datetime.now(UTC)
        _controleer_herkomst(aanvraag, gebruiker, nu)
        invoer = NieuweMelding(
            bron=aanvraag.bron, organisatie=aanvraag.organisatie,
            bron_referentie=aanvraag.bron_referentie, doelgroep=aanvraag.doelgroep,
            gemeentecode=aanvraag.gemeentecode, ontvangen_op=aanvraag.ontvangen_op or nu,
            betrokkenen=[Betrokkene(**b.model_dump()) for b in aanvraag.betrokkenen],
            omschrijving=aanvraag.omschrijving, urgentie=aanvraag.urgentie,
        )
        r = registreer_melding(invoer, uow=intake.uow, geheim=intake.geheim,
                               regels=intake.regels, kluis=intake.kluis,
                               traceparent=huidige_traceparent())
        if not r.nieuw and not _mag_registratie_zien(gebruiker, r.melding):
            # The reference is unique across houses, so that it was used cannot be hidden; its
            # melding (id, house, routing) can, from whom it is not for.
            raise HTTPException(status.HTTP_409_CONFLICT,
                                "bron_referentie was used before; give this melding a reference "
                                "of its own")
        intake.audit.leg_vast(gebruiker, "melding_indienen", huis=r.huis,
                              object_ids=[r.melding_id],
                              persoon_ids=[b.persoon_id for b in r.melding.betrokkenen])
        response.headers["Location"] = f"/api/v1/meldingen/{r.melding_id}"
        if not r.nieuw:
            response.status_code = status.HTTP_200_OK
        return MeldingOntvangen(melding_id=r.melding_id, huis=r.huis,
                                routering=r.melding.routering, nieuw=r.nieuw)

    @app.get("/api/v1/meldingen/{melding_id}",
             response_model=MeldingGeregistreerd | MeldingIngediend)
    def melding_ophalen(melding_id: UUID,
                        gebruiker: Ingelogd) -> MeldingGeregistreerd | MeldingIngediend:
        """A registered melding, as published to its house, for its house's screeners and
        process directors; for the partner that sent it, what it sent and the registration
        (``MeldingIngediend``), without the links to the person index."""
        with intake.uow() as u:
            melding = u.meldingen.get(melding_id)
        if melding is None or melding.huis != gebruiker.huis or (
                gebruiker.alleen_partner and not gebruiker.is_organisatie(melding.organisatie)):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"melding {melding_id} not found")
        if not gebruiker.alleen_partner:
            gebruiker.eis(Rol.SCREENER, Rol.PROCESREGISSEUR)
        intake.audit.leg_vast(gebruiker, "melding_lezen", huis=melding.huis,
                              object_ids=[melding_id],
                              persoon_ids=[b.persoon_id for b in melding.betrokkenen])
        return MeldingIngediend.van(melding) if gebruiker.alleen_partner else melding

    @app.get("/api/v1/afgewezen", response_model=AfgewezenLijst)
    def afgewezen(gebruiker: Ingelogd, limit: int = Query(50, ge=1, le=500),
                  offset: int = Query(0, ge=0)) -> AfgewezenLijst:
        """Feed records intake refused, newest first, with the field and rule of each reason
        and the original bytes while they can be opened. A house's beheerder sees those that
        would have gone to their house; the feedbeheerder those of the whole province."""
        huis = afgewezen_bereik(gebruiker)
        with intake.uow() as u:
            aantal, lijst = u.afgewezen.aantal(huis), u.afgewezen.lijst(limit, offset, huis)
        intake.audit.leg_vast(gebruiker, "afgewezen_lezen", huis=gebruiker.huis,
                              object_ids=[f"afgewezen:{a.id}" for a in lijst],
                              persoon_ids=list(dict.fromkeys(p for a in lijst
                                                             for p in a.persoon_ids)))
        return AfgewezenLijst(aantal=aantal, items=[
            AfgewezenBericht.van(a, ontsleutel(a.inhoud, intake.kluis) if a.inhoud else None)
            for a in lijst])

    @app.get("/api/v1/afgewezen/aantal", response_model=Aantal)
    def afgewezen_aantal(gebruiker: Ingelogd) -> Aantal:
        """How many feed records were refused, of those the user may see."""
        huis = afgewezen_bereik(gebruiker)
        with intake.uow() as u:
            return Aantal(aantal=u.afgewezen.aantal(huis))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    koppel_audit(app, intake.audit)
    return app


def _ongeldig(veld: str, reden: str, waarde: object) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("body", veld), "msg": reden,
                                    "input": str(waarde)}])


def _controleer_herkomst(aanvraag: MeldingAanvraag, gebruiker: Gebruiker, nu: datetime) -> None:
    """Who may say where a melding comes from and when it arrived: a sender speaks for itself,
    now; a beheerder loading a house's history for any source, back to VROEGST_ONTVANGEN."""
    beheerder = gebruiker.heeft(Rol.BEHEERDER)
    if not beheerder and aanvraag.bron is not gebruiker.herkomst:
        # A melding "from the police" or "from DJI" is screened as one; a dji melding waits
        # for a referral from nazorg that never comes.
        raise _ongeldig("bron", f"must be {gebruiker.herkomst.value!r}, where meldingen of your "
                                f"token come from", aanvraag.bron.value)
    ontvangen_op = aanvraag.ontvangen_op
    # The municipality as it was on the melding's date: Schinnen in 2018, Beekdaelen since 2019.
    dag = dag_van(ontvangen_op or nu)
    if not bestaat_op(aanvraag.gemeentecode, dag):
        raise _ongeldig("gemeentecode", niet_op(aanvraag.gemeentecode, dag),
                        aanvraag.gemeentecode)
    if ontvangen_op is None:
        return
    if ontvangen_op > nu + _TOEGESTANE_KLOKAFWIJKING:
        raise _ongeldig("ontvangen_op", "ontvangen_op lies in the future", ontvangen_op)
    if not beheerder and ontvangen_op < nu - _TOEGESTANE_KLOKAFWIJKING:
        raise _ongeldig("ontvangen_op", "only a beheerder loading a house's history may date a "
                                        "melding back; leave ontvangen_op out to mean now",
                        ontvangen_op)
    if ontvangen_op < VROEGST_ONTVANGEN:
        raise _ongeldig("ontvangen_op", f"history goes back to "
                                        f"{VROEGST_ONTVANGEN.date().isoformat()} at the earliest",
                        ontvangen_op)


def _mag_registratie_zien(gebruiker: Gebruiker, melding: MeldingGeregistreerd) -> bool:
    """Whether a repeated reference may be answered with the registration it names: for a user
    of the house it went to, and for the partner organisation that sent it (from any house)."""
    return melding.huis == gebruiker.huis or (
        Rol.PARTNER in gebruiker.rollen and gebruiker.is_organisatie(melding.organisatie))
