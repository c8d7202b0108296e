"""The nazorg dossier: the detention episode (folded from DJI notices) and the aftercare plan.

Every function takes a dossier and returns a new one with the events it caused; nothing here
stores, publishes or reads a clock. Changes the dossier refuses raise the kit's refusals: a
value that can never be right for this dossier ``OngeldigeInvoer`` (422), one its state does not
allow ``Conflict`` (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from services.nazorg.domain.detentie import Detentie, DetentieBericht, dossier_id, met_bericht
from shared.contracts.huizen import HuisId, huis_van_gemeente
from shared.contracts.nazorg import (
    BEGELEIDING_GEWIJZIGD_V1,
    BIJ_TAAK_AANGEMAAKT_V1,
    DOSSIER_BIJGEWERKT_V1,
    DOSSIER_GEOPEND_V1,
    GEMEENTE_TOEGEWEZEN_V1,
    NAAR_TRIAGE_VERWEZEN_V1,
    VOORWAARDE_GEWIJZIGD_V1,
    BegeleidingGewijzigd,
    BijTaak,
    BijTaakAangemaakt,
    DossierStand,
    GemeenteToegewezen,
    NaarTriageVerwezen,
    Regie,
    Voorwaarde,
    VoorwaardeGewijzigd,
    VoorwaardeStand,
    VoorwaardeStatus,
)
from shared.contracts.privacy import GEWIST
from shared.kit.fouten import Conflict, OngeldigeInvoer

AFGEROND = frozenset({VoorwaardeStatus.GEREGELD, VoorwaardeStatus.NIET_NODIG})


@dataclass(frozen=True)
class Gebeurtenis:
    """An event the dossier caused: its type and payload (every payload names its dossier)."""

    type: str
    payload: BaseModel

    @property
    def dossier_id(self) -> UUID:
        return self.payload.dossier_id  # type: ignore[attr-defined]

    @property
    def huis(self) -> HuisId:
        return self.payload.huis  # type: ignore[attr-defined]


class Plan(BaseModel):
    """What the house and its partners arrange; changed by hand, never by a DJI notice."""

    model_config = ConfigDict(frozen=True)
    voorwaarden: tuple[VoorwaardeStand, ...] = tuple(
        VoorwaardeStand(voorwaarde=v, status=VoorwaardeStatus.ONBEKEND, partner=None)
        for v in Voorwaarde)
    casemanager: str | None = None
    maatje: str | None = None
    toegewezen_gemeente: str | None = None
    bij_beoordeeld: bool = False
    bij_toelichting: str | None = None
    bij_dreiging: bool | None = None
    bij_beoordeeld_door: str | None = None
    naar_triage_verwezen_op: datetime | None = None


class Dossier(BaseModel):
    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    detentie: Detentie
    plan: Plan = Plan()

    @property
    def huis(self) -> HuisId:
        assert self.detentie.huis is not None, "a dossier exists from its first notice on"
        return self.detentie.huis

    @property
    def persoon_id(self) -> UUID:
        return self.detentie.berichten[0].persoon_id

    @property
    def detentie_start(self) -> date:
        return self.detentie.berichten[0].detentie_start

    @property
    def gemeentecode(self) -> str | None:
        return self.detentie.gemeente_van_inschrijving or self.plan.toegewezen_gemeente

    @property
    def zonder_gemeente(self) -> bool:
        return self.gemeentecode is None

    @property
    def regie(self) -> Regie:
        # Minors: the Raad voor de Kinderbescherming leads the aftercare, the house supports.
        return (Regie.RAAD_VOOR_DE_KINDERBESCHERMING if self.detentie.minderjarig
                else Regie.ZORG_EN_VEILIGHEIDSHUIS)

    @property
    def open_voorwaarden(self) -> list[Voorwaarde]:
        return [v.voorwaarde for v in self.plan.voorwaarden if v.status not in AFGEROND]

    @property
    def plan_compleet(self) -> bool:
        return not self.open_voorwaarden and self.plan.casemanager is not None

    @property
    def bij_taak(self) -> BijTaak | None:
        if not self.detentie.zwaar_delict:
            return None
        return BijTaak(gemeentecode=self.gemeentecode, beoordeeld=self.plan.bij_beoordeeld,
                       toelichting=self.plan.bij_toelichting, dreiging=self.plan.bij_dreiging,
                       beoordeeld_door=self.plan.bij_beoordeeld_door)

    def met_plan(self, **wijziging: object) -> Dossier:
        return self.model_copy(update={"plan": self.plan.model_copy(update=wijziging)})


def gewist(dossier: Dossier) -> Dossier:
    """The dossier of an erased person: name, date of birth and the plan's texts blanked; the
    episode's dates, phase and conditions stay (they are counted)."""
    leeg = {"naam": GEWIST, "voornamen": None, "achternaam": "", "geboortedatum": None}
    berichten = tuple(b.model_copy(update=leeg) for b in dossier.detentie.berichten)
    detentie = dossier.detentie.model_copy(update={"berichten": berichten, **leeg})
    plan = dossier.plan.model_copy(update={
        "voorwaarden": tuple(v.model_copy(update={"toelichting": GEWIST if v.toelichting
                                                  else None}) for v in dossier.plan.voorwaarden),
        "bij_toelichting": GEWIST if dossier.plan.bij_toelichting else None})
    return dossier.model_copy(update={"detentie": detentie, "plan": plan})


def ontvang(dossier: Dossier | None, bericht: DetentieBericht) -> tuple[Dossier, list[Gebeurtenis]]:
    """Fold a DJI notice into its dossier (opened by the first notice that arrives)."""
    if dossier is None:
        nieuw = Dossier(dossier_id=dossier_id(bericht.persoon_id, bericht.detentie_start),
                        detentie=met_bericht(Detentie(), bericht))
        gebeurtenissen = [Gebeurtenis(DOSSIER_GEOPEND_V1, stand(nieuw))]
        return nieuw, gebeurtenissen + _bij_taak_erbij(None, nieuw, bericht.tijdstip)
    detentie = met_bericht(dossier.detentie, bericht)
    if detentie == dossier.detentie:
        return dossier, []
    nieuw = dossier.model_copy(update={"detentie": detentie})
    return nieuw, [Gebeurtenis(DOSSIER_BIJGEWERKT_V1, stand(nieuw)),
                   *_bij_taak_erbij(dossier, nieuw, bericht.tijdstip)]


def _bij_taak_erbij(oud: Dossier | None, nieuw: Dossier, op: datetime) -> list[Gebeurtenis]:
    if nieuw.bij_taak is None or (oud is not None and oud.bij_taak is not None):
        return []
    return [Gebeurtenis(BIJ_TAAK_AANGEMAAKT_V1, BijTaakAangemaakt(
        dossier_id=nieuw.dossier_id, huis=nieuw.huis, persoon_id=nieuw.persoon_id,
        gemeentecode=nieuw.gemeentecode,
        verwachte_ontslagdatum=nieuw.detentie.verwachte_ontslagdatum, aangemaakt_op=op))]


def zet_voorwaarde(dossier: Dossier, voorwaarde: Voorwaarde, status: VoorwaardeStatus,
                   partner: str | None, toelichting: str | None, *, nu: datetime
                   ) -> tuple[Dossier, list[Gebeurtenis]]:
    """Set a basic condition's status and responsible partner."""
    stand_ = VoorwaardeStand(voorwaarde=voorwaarde, status=status, partner=partner,
                             toelichting=toelichting)
    voorwaarden = tuple(stand_ if v.voorwaarde == voorwaarde else v
                        for v in dossier.plan.voorwaarden)
    if voorwaarden == dossier.plan.voorwaarden:
        return dossier, []
    nieuw = dossier.met_plan(voorwaarden=voorwaarden)
    return nieuw, [Gebeurtenis(VOORWAARDE_GEWIJZIGD_V1, VoorwaardeGewijzigd(
        dossier_id=nieuw.dossier_id, huis=nieuw.huis, persoon_id=nieuw.persoon_id,
        voorwaarde=stand_, plan_compleet=nieuw.plan_compleet, gewijzigd_op=nu))]


def wijs_casemanager_toe(dossier: Dossier, casemanager: str, *, nu: datetime
                         ) -> tuple[Dossier, list[Gebeurtenis]]:
    return _begeleiding(dossier, dossier.met_plan(casemanager=casemanager), nu)


def koppel_maatje(dossier: Dossier, maatje: str | None, *, nu: datetime
                  ) -> tuple[Dossier, list[Gebeurtenis]]:
    """Link a volunteer buddy, or unlink with None."""
    return _begeleiding(dossier, dossier.met_plan(maatje=maatje), nu)


def _begeleiding(oud: Dossier, nieuw: Dossier, nu: datetime) -> tuple[Dossier, list[Gebeurtenis]]:
    if nieuw == oud:
        return oud, []
    return nieuw, [Gebeurtenis(BEGELEIDING_GEWIJZIGD_V1, BegeleidingGewijzigd(
        dossier_id=nieuw.dossier_id, huis=nieuw.huis, persoon_id=nieuw.persoon_id,
        casemanager=nieuw.plan.casemanager, maatje=nieuw.plan.maatje,
        plan_compleet=nieuw.plan_compleet, gewijzigd_op=nu))]


def wijs_gemeente_toe(dossier: Dossier, gemeentecode: str, *, nu: datetime
                      ) -> tuple[Dossier, list[Gebeurtenis]]:
    """Give a dossier without a municipality of registration one by hand: one of its house."""
    if huis_van_gemeente(gemeentecode) != dossier.huis:
        raise OngeldigeInvoer("gemeentecode", f"{gemeentecode} is no municipality of "
                                             f"{dossier.huis.value}, the dossier's house")
    ingeschreven = dossier.detentie.gemeente_van_inschrijving
    if ingeschreven is not None:
        raise Conflict("gemeentecode", f"the person is registered in {ingeschreven}; only a "
                                       "dossier without a municipality is assigned by hand")
    if dossier.plan.toegewezen_gemeente == gemeentecode:
        return dossier, []
    nieuw = dossier.met_plan(toegewezen_gemeente=gemeentecode)
    return nieuw, [Gebeurtenis(GEMEENTE_TOEGEWEZEN_V1, GemeenteToegewezen(
        dossier_id=nieuw.dossier_id, huis=nieuw.huis, persoon_id=nieuw.persoon_id,
        gemeentecode=gemeentecode, toegewezen_op=nu))]


def beoordeel_bij(dossier: Dossier, toelichting: str | None, dreiging: bool | None = None,
                  door: str | None = None) -> tuple[Dossier, list[Gebeurtenis]]:
    """The public-order officer has assessed the return risk of a BIJ dossier: whether there is
    a threat, and who assessed it."""
    if dossier.bij_taak is None:
        raise Conflict("bij_taak", "only a dossier with a serious offence has a BIJ task")
    nieuw = dossier.met_plan(bij_beoordeeld=True, bij_toelichting=toelichting,
                             bij_dreiging=dreiging, bij_beoordeeld_door=door)
    if nieuw == dossier:
        return dossier, []
    return nieuw, [Gebeurtenis(DOSSIER_BIJGEWERKT_V1, stand(nieuw))]


def verwijs_naar_triage(dossier: Dossier, motivatie: str, verwezen_door: str, *, nu: datetime
                        ) -> tuple[Dossier, list[Gebeurtenis]]:
    """Escalate a dossier with multi-problem signals to the triage queue of its house, once."""
    eerder = dossier.plan.naar_triage_verwezen_op
    if eerder is not None:
        raise Conflict("dossier", f"already referred to triage on {eerder.isoformat()}")
    nieuw = dossier.met_plan(naar_triage_verwezen_op=nu)
    return nieuw, [Gebeurtenis(NAAR_TRIAGE_VERWEZEN_V1, NaarTriageVerwezen(
        dossier_id=nieuw.dossier_id, huis=nieuw.huis, persoon_id=nieuw.persoon_id,
        motivatie=motivatie, verwezen_door=verwezen_door, verwezen_op=nu,
        melding_ids=[b.melding_id for b in nieuw.detentie.berichten]))]


def stand(d: Dossier) -> DossierStand:
    """The dossier as the outside world sees it (events, API, pages)."""
    det = d.detentie
    return DossierStand(
        dossier_id=d.dossier_id, huis=d.huis, persoon_id=d.persoon_id, naam=det.naam,
        geboortedatum=det.geboortedatum, detentie_start=d.detentie_start, fase=det.fase,
        inrichting_code=det.inrichting_code,
        inrichting_naam=det.inrichting_naam, verwachte_ontslagdatum=det.verwachte_ontslagdatum,
        ontslagen_op=det.ontslagen_op, gemeente_van_inschrijving=det.gemeente_van_inschrijving,
        gemeentecode=d.gemeentecode, zonder_gemeente=d.zonder_gemeente,
        minderjarig=det.minderjarig, zwaar_delict=det.zwaar_delict, regie=d.regie,
        huis_ondersteunt=d.regie != Regie.ZORG_EN_VEILIGHEIDSHUIS,
        voorwaarden=list(d.plan.voorwaarden), casemanager=d.plan.casemanager,
        maatje=d.plan.maatje, bij_taak=d.bij_taak, plan_compleet=d.plan_compleet,
        berichten=[b.bericht_id for b in det.berichten],
        melding_ids=[b.melding_id for b in det.berichten],
    )
