"""The dossier is a fold over DJI notices: order of arrival and duplicates do not matter."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import permutations
from uuid import uuid4

import pytest

from services.nazorg.domain import dossier as model
from services.nazorg.domain.detentie import dossier_id, uit_melding, vouw
from services.nazorg.domain.dossier import Dossier
from services.nazorg.tests.maak import PERSOON, bericht, dag, melding
from shared.contracts.nazorg import (
    BIJ_TAAK_AANGEMAAKT_V1,
    DOSSIER_BIJGEWERKT_V1,
    DOSSIER_GEOPEND_V1,
    Fase,
    Regie,
    Voorwaarde,
    VoorwaardeStatus,
)
from shared.kit.fouten import Weigering

NU = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

# DJI's ids say nothing about order: these sort the opposite way of their tijdstip.
INSTROOM = bericht("instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18",
                   bericht_id="DJI-9")
GEWIJZIGD = bericht("ontslagdatum_gewijzigd", "2026-11-22T09:01:00+01:00", ontslag="2027-01-07",
                    bericht_id="DJI-7")
OVERPLAATSING = bericht("overplaatsing", "2026-12-02T08:00:00+01:00", ontslag=None,
                        bericht_id="DJI-5")
UITSTROOM = bericht("uitstroom", "2027-01-07T11:00:00+01:00", ontslag="2027-01-07",
                    bericht_id="DJI-3")


def ontvang_alle(berichten) -> tuple[Dossier, list]:  # type: ignore[no-untyped-def]
    d: Dossier | None = None
    alle = []
    for b in berichten:
        d, gebeurtenissen = model.ontvang(d, b)
        alle += gebeurtenissen
    assert d is not None
    return d, alle


def test_every_order_of_entry_date_change_transfer_and_release_ends_in_the_same_dossier():
    berichten = [INSTROOM, GEWIJZIGD, OVERPLAATSING, UITSTROOM]
    verwacht, _ = ontvang_alle(berichten)
    assert verwacht.detentie.fase == Fase.VRIJ
    assert verwacht.detentie.verwachte_ontslagdatum == dag("2027-01-07")
    assert verwacht.detentie.ontslagen_op == UITSTROOM.tijdstip
    for volgorde in permutations(berichten):
        d, gebeurtenissen = ontvang_alle(volgorde)
        assert d == verwacht, [b.soort for b in volgorde]
        assert model.stand(d) == model.stand(verwacht)
        assert gebeurtenissen[0].type == DOSSIER_GEOPEND_V1


@pytest.mark.parametrize("volgorde", list(permutations([INSTROOM, GEWIJZIGD, UITSTROOM])),
                         ids=lambda v: "-".join(b.soort[:4] for b in v))
def test_every_order_of_the_three_notices_folds_to_the_same_state(volgorde):
    assert vouw(volgorde) == vouw([INSTROOM, GEWIJZIGD, UITSTROOM])


def test_a_correction_before_its_original_still_wins_by_dji_time():
    d, _ = ontvang_alle([GEWIJZIGD, INSTROOM])
    assert d.detentie.verwachte_ontslagdatum == dag("2027-01-07")
    assert d.detentie.fase == Fase.IN_DETENTIE


def test_a_release_before_its_entry_leaves_the_person_released():
    d, _ = ontvang_alle([UITSTROOM, INSTROOM])
    assert d.detentie.fase == Fase.VRIJ
    assert [b.soort for b in d.detentie.berichten] == ["instroom", "uitstroom"]


def test_duplicates_change_nothing_and_cause_no_events():
    d, _ = ontvang_alle([INSTROOM, GEWIJZIGD])
    for dubbel in (INSTROOM, GEWIJZIGD, INSTROOM):
        opnieuw, gebeurtenissen = model.ontvang(d, dubbel)
        assert opnieuw == d
        assert gebeurtenissen == []
    # The same notice registered twice by intake (another melding id) is still one notice.
    kopie = INSTROOM.model_copy(update={"melding_id": uuid4()})
    opnieuw, _ = model.ontvang(d, kopie)
    assert len(opnieuw.detentie.berichten) == 2
    assert vouw([kopie, INSTROOM, GEWIJZIGD]) == vouw([GEWIJZIGD, INSTROOM, kopie])


def test_a_new_notice_updates_the_dossier_with_one_event():
    d, _ = ontvang_alle([INSTROOM])
    _, gebeurtenissen = model.ontvang(d, GEWIJZIGD)
    assert [g.type for g in gebeurtenissen] == [DOSSIER_BIJGEWERKT_V1]
    assert gebeurtenissen[0].payload.verwachte_ontslagdatum == dag("2027-01-07")  # type: ignore[attr-defined]


def test_one_dossier_per_detention_episode():
    tweede = bericht("instroom", "2027-06-01T10:00:00+02:00", detentie_start="2027-06-01")
    assert dossier_id(PERSOON, INSTROOM.detentie_start) != dossier_id(PERSOON,
                                                                      tweede.detentie_start)
    d, _ = ontvang_alle([INSTROOM])
    assert d.dossier_id == dossier_id(PERSOON, dag("2026-11-19"))


def test_only_dji_meldingen_with_a_detention_block_are_notices():
    assert uit_melding(melding("instroom", "2026-11-20T10:12:00+01:00", bron="partner")) is None
    m = melding("instroom", "2026-11-20T10:12:00+01:00")
    assert uit_melding(m.model_copy(update={"detentie": None})) is None
    b = uit_melding(m)
    assert b is not None and b.naam == "Karel Bemelmans" and b.persoon_id == PERSOON


def test_a_minor_is_led_by_the_raad_voor_de_kinderbescherming():
    d, _ = ontvang_alle([bericht("instroom", "2026-11-20T10:12:00+01:00", minderjarig=True)])
    assert d.regie == Regie.RAAD_VOOR_DE_KINDERBESCHERMING
    assert model.stand(d).huis_ondersteunt is True
    volwassen, _ = ontvang_alle([INSTROOM])
    assert model.stand(volwassen).huis_ondersteunt is False


def test_a_serious_offence_creates_one_bij_task_for_the_municipality():
    zwaar = bericht("instroom", "2026-11-20T10:12:00+01:00", zwaar_delict=True)
    later = bericht("ontslagdatum_gewijzigd", "2026-11-25T10:00:00+01:00", zwaar_delict=True)
    d, gebeurtenissen = ontvang_alle([zwaar, later])
    assert [g.type for g in gebeurtenissen].count(BIJ_TAAK_AANGEMAAKT_V1) == 1
    assert d.bij_taak is not None and d.bij_taak.gemeentecode == "GM0957"
    beoordeeld, _ = model.beoordeel_bij(d, "Geen bezwaar tegen terugkeer")
    assert beoordeeld.bij_taak is not None and beoordeeld.bij_taak.beoordeeld
    with pytest.raises(Weigering) as exc:
        model.beoordeel_bij(ontvang_alle([INSTROOM])[0], None)
    assert exc.value.veld == "bij_taak"


def test_without_a_municipality_the_dossier_is_flagged_and_assigned_by_hand():
    d, _ = ontvang_alle([bericht("uitstroom", "2026-11-21T08:30:00+01:00", gemeente=None,
                                 ontslag=None, zwaar_delict=True)])
    assert d.zonder_gemeente and d.bij_taak is not None and d.bij_taak.gemeentecode is None
    toegewezen, [g] = model.wijs_gemeente_toe(d, "GM0988", nu=NU)
    assert not toegewezen.zonder_gemeente and toegewezen.gemeentecode == "GM0988"
    assert toegewezen.bij_taak is not None and toegewezen.bij_taak.gemeentecode == "GM0988"
    assert g.payload.gemeentecode == "GM0988"  # type: ignore[attr-defined]
    with pytest.raises(Weigering) as exc:
        model.wijs_gemeente_toe(ontvang_alle([INSTROOM])[0], "GM0988", nu=NU)
    assert exc.value.veld == "gemeentecode" and "GM0957" in exc.value.reden


def test_the_plan_is_complete_with_five_conditions_settled_and_a_casemanager():
    d, _ = ontvang_alle([INSTROOM])
    assert not d.plan_compleet and len(d.open_voorwaarden) == 5
    for v in Voorwaarde:
        status = VoorwaardeStatus.NIET_NODIG if v == Voorwaarde.SCHULDEN else (
            VoorwaardeStatus.GEREGELD)
        d, [gewijzigd] = model.zet_voorwaarde(d, v, status, "Gemeente Roermond", None, nu=NU)
        assert gewijzigd.payload.voorwaarde.status == status  # type: ignore[attr-defined]
    assert d.open_voorwaarden == [] and not d.plan_compleet
    d, _ = model.wijs_casemanager_toe(d, "M. Peeters", nu=NU)
    assert d.plan_compleet
    d, _ = model.koppel_maatje(d, "Vrijwilliger Jan", nu=NU)
    assert model.stand(d).maatje == "Vrijwilliger Jan"
    hetzelfde, geen = model.koppel_maatje(d, "Vrijwilliger Jan", nu=NU)
    assert hetzelfde == d and geen == []


def test_a_notice_never_touches_the_plan():
    d, _ = ontvang_alle([INSTROOM])
    d, _ = model.zet_voorwaarde(d, Voorwaarde.ZORG, VoorwaardeStatus.GEREGELD, "Mondriaan", None,
                                nu=NU)
    d, _ = model.ontvang(d, GEWIJZIGD)
    assert d.plan.voorwaarden[4].status == VoorwaardeStatus.GEREGELD


def test_referral_to_triage_happens_once():
    d, _ = ontvang_alle([INSTROOM, GEWIJZIGD])
    verwezen, [g] = model.verwijs_naar_triage(d, "Schulden en verslaving", "j.janssen", nu=NU)
    assert g.payload.melding_ids == [b.melding_id for b in d.detentie.berichten]  # type: ignore[attr-defined]
    with pytest.raises(Weigering):
        model.verwijs_naar_triage(verwezen, "nog eens", "j.janssen", nu=NU)
