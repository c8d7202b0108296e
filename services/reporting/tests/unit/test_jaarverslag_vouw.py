"""The annual report as a fold over hand-made events: every table, duplicates, order, years."""

from __future__ import annotations

import random
import statistics
from datetime import timedelta
from uuid import uuid4

import pytest

from services.reporting.domain import jaarverslag
from services.reporting.domain.feiten import Feit, vertaal
from services.reporting.tests.maak import (
    HUIS,
    besluit,
    casus_id_voor,
    casusevent,
    huisverbodevent,
    melding,
    tijd,
)
from shared.contracts.envelope import CloudEvent
from shared.contracts.huisverbod import (
    Geregistreerd,
    Ingetrokken,
    Opgelegd,
    RihgIngevuld,
    SamenloopStrafrecht,
    Verlengd,
)
from shared.contracts.huizen import HuisId
from shared.contracts.regie import (
    CasusAangemeld,
    CasusAfgeschaald,
    CasusAfgesloten,
    CasusHeropend,
    CasusoverlegGehouden,
    PlanVastgesteld,
)
from shared.contracts.triage import BesluitGenomen

INWONERS = {"GM0957": 1000, "GM0988": 2000}
P1, P2, P3, P4 = (uuid4() for _ in range(4))


def _aangemeld(b: CloudEvent, event_id: str | None = None) -> CloudEvent:
    d = BesluitGenomen.model_validate(b.data)
    traject = "lang" if d.route == "persoonsgerichte_aanpak" else "kort"
    return casusevent(CasusAangemeld, casus_id_voor(d.besluit_id), d.besloten_op,
                      event_id=event_id, melding_id=d.melding_id, besluit_id=d.besluit_id,
                      hoofdpersoon_id=d.hoofdpersoon_id, persoon_ids=d.persoon_ids,
                      doelgroep=d.doelgroep, gemeentecode=d.gemeentecode, traject=traject,
                      soort=d.soort, melding_ontvangen_op=d.ontvangen_op,
                      besloten_op=d.besloten_op)


def _jaar() -> list[CloudEvent]:
    m1 = melding(bron="partner", doelgroep="overig", gemeente="GM0957", personen=[P1])
    m2 = melding(bron="politie", doelgroep="huiselijk_geweld", gemeente="GM0988",
                 personen=[P1, P2])
    m3 = melding(bron="dji", doelgroep="ex_gedetineerden", personen=[P3], detentie="instroom")
    m4 = melding(bron="dji", doelgroep="ex_gedetineerden", personen=[P3], detentie="uitstroom",
                 ontvangen_op="2025-09-01T08:00:00+02:00")
    m5 = melding(bron="veilig_thuis", doelgroep="huiselijk_geweld", gemeente="GM0988",
                 personen=[P4], ontvangen_op="2025-06-15T12:00:00+02:00")
    niet = [melding(ontvangen_op="2024-12-31T22:00:00+01:00"),
            # Past midnight in Amsterdam: 2026.
            melding(ontvangen_op="2025-12-31T23:30:00+00:00"),
            melding(huis=HuisId.PARKSTAD, gemeente="GM0917")]
    mid = {n: m.data["melding_id"] for n, m in dict(m1=m1, m2=m2, m3=m3, m5=m5).items()}
    b1 = besluit(melding_id=mid["m1"], doelgroep="overig", dagen=1, personen=[P1])
    b2 = besluit(melding_id=mid["m2"], route="casusoverleg", gemeente="GM0988",
                 soort="justitieel_casusoverleg_huiselijk_geweld", doelgroep="huiselijk_geweld",
                 dagen=3, personen=[P1, P2])
    b3 = besluit(melding_id=mid["m5"], route="persoonsgerichte_aanpak", soort="integrale_aanpak",
                 doelgroep="huiselijk_geweld", gemeente="GM0988", dagen=5, personen=[P4],
                 ontvangen_op="2025-06-15T12:00:00+02:00")
    b4 = besluit(melding_id=mid["m3"], route="casusoverleg", soort="nazorgoverleg",
                 doelgroep="ex_gedetineerden", dagen=7, personen=[P3])
    c2, c3, c4 = (_aangemeld(b) for b in (b2, b3, b4))
    id2, id3 = (c.data["casus_id"] for c in (c2, c3))
    s2, s3 = (tijd(b.data["besloten_op"]) for b in (b2, b3))
    o1, o2 = uuid4(), uuid4()
    dag = timedelta(days=1)
    casus = [
        c2, c3, c4, _aangemeld(b3),  # regie registered b3's case twice
        casusevent(CasusoverlegGehouden, id2, s2 + dag, overleg_id=o1, aanwezig=[],
                   client_aanwezig=False, verslag="v"),
        casusevent(CasusoverlegGehouden, id2, s2 + dag, overleg_id=o1, aanwezig=[],
                   client_aanwezig=False, verslag="v"),  # the same consultation again
        casusevent(CasusoverlegGehouden, id2, s2 + 5 * dag, overleg_id=o2, aanwezig=[],
                   client_aanwezig=True, verslag="v"),
        casusevent(PlanVastgesteld, id2, s2 + 10 * dag, client_ondertekend=True),
        casusevent(CasusAfgesloten, id2, s2 + 40 * dag, reden="klaar"),
        casusevent(PlanVastgesteld, id3, s3 + 20 * dag, client_ondertekend=True),
        casusevent(PlanVastgesteld, id3, s3 + 25 * dag, client_ondertekend=True),  # revised
        casusevent(CasusAfgeschaald, id3, s3 + 60 * dag, naar="wijkteam", toelichting="t"),
        casusevent(CasusHeropend, id3, s3 + 70 * dag, melding_id=None, reden="terugval"),
        casusevent(CasusAfgesloten, id3, s3 + 80 * dag, reden="klaar"),
    ]
    op = tijd("2025-05-01T10:00:00+02:00")
    huisverboden = [
        huisverbodevent(Geregistreerd, gemeente="GM0957", op=op, melding_id=None,
                        pleger_id=uuid4(), slachtoffer_ids=[], kind_ids=[]),
        huisverbodevent(RihgIngevuld, gemeente="GM0957", op=op, uitkomst="hoog"),
        huisverbodevent(RihgIngevuld, gemeente="GM0957", op=op, uitkomst="laag"),
        huisverbodevent(Opgelegd, gemeente="GM0957", op=op, opgelegd_op=op,
                        eindigt_op=op + 10 * dag),
        huisverbodevent(Verlengd, gemeente="GM0957", op=op, eindigt_op=op + 28 * dag),
        huisverbodevent(Ingetrokken, gemeente="GM0988", op=op, reden="r"),
        huisverbodevent(SamenloopStrafrecht, gemeente="GM0988", op=op, toelichting="t"),
        huisverbodevent(Opgelegd, gemeente="GM0988", op=tijd("2024-05-01T10:00:00+02:00"),
                        opgelegd_op=op, eindigt_op=op),
    ]
    return [m1, m2, m3, m4, m5, *niet, b1, b2, b3, b4, *casus, *huisverboden]


def _feiten(events: list[CloudEvent]) -> list[Feit]:
    return [f for f in map(vertaal, events) if f is not None]


@pytest.fixture(scope="module")
def cijfers():  # type: ignore[no-untyped-def]
    return jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2025, _feiten(_jaar())), INWONERS)


def test_meldingen_per_herkomst_with_percentages(cijfers):
    assert cijfers.meldingen_totaal == 5
    assert cijfers.meldingen_per_herkomst == {"partner": 1, "politie": 1, "dji": 2,
                                              "veilig_thuis": 1, "zsm": 0, "gemeente": 0}
    assert cijfers.meldingen_per_herkomst_percentage == {
        "partner": 20.0, "politie": 20.0, "dji": 40.0, "veilig_thuis": 20.0, "zsm": 0.0,
        "gemeente": 0.0}


def test_meldingen_per_doelgroep_per_gemeente_with_totals_and_months(cijfers):
    assert cijfers.meldingen_per_doelgroep_per_gemeente == {
        "ex_gedetineerden": {"GM0957": 2}, "huiselijk_geweld": {"GM0988": 2},
        "overig": {"GM0957": 1}}
    assert cijfers.meldingen_per_doelgroep == {"ex_gedetineerden": 2, "huiselijk_geweld": 2,
                                               "overig": 1}
    assert cijfers.meldingen_per_gemeente == {"GM0957": 3, "GM0988": 2}
    assert cijfers.meldingen_per_maand == {f"{m:02d}": {3: 3, 6: 1, 9: 1}.get(m, 0)
                                           for m in range(1, 13)}


def test_a_melding_counts_in_the_year_it_was_received_in_amsterdam():
    laat = _feiten([melding(ontvangen_op="2025-12-31T23:30:00+00:00")])
    assert jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2026, laat), {}).meldingen_totaal == 1
    assert jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2025, laat), {}).meldingen_totaal == 0


def test_follow_up_per_kind_and_doelgroep_and_the_share_that_became_an_approach(cijfers):
    assert cijfers.vervolgacties_per_doelgroep == {
        "integrale_aanpak": {"huiselijk_geweld": 1},
        "justitieel_casusoverleg_huiselijk_geweld": {"huiselijk_geweld": 1},
        "nazorgoverleg": {"ex_gedetineerden": 1},
        "terugverwijzen": {"overig": 1}}
    assert cijfers.gescreend == 4
    assert cijfers.aanpak_na_screening == 3
    assert cijfers.aanpak_na_screening_percentage == 75.0


def test_short_and_long_trajectories_cases_and_persons(cijfers):
    assert cijfers.korte_trajecten_per_doelgroep_per_gemeente == {
        "ex_gedetineerden": {"GM0957": 1}, "huiselijk_geweld": {"GM0988": 1}}
    assert cijfers.lange_trajecten_per_doelgroep_per_gemeente == {
        "huiselijk_geweld": {"GM0988": 1}}
    assert cijfers.unieke_casussen == 3
    assert cijfers.unieke_personen == 4
    assert cijfers.unieke_personen_in_casussen == 4
    assert cijfers.casussen_per_gemeente == {"GM0957": 1, "GM0988": 2}
    assert cijfers.casussen_per_1000_inwoners == {"GM0957": 1.0, "GM0988": 1.0}


def test_consultations_count_once_each_and_case_duration_has_median_and_spread(cijfers):
    assert cijfers.casusoverleggen == 2
    assert cijfers.casussen_besproken == 1
    d = cijfers.casusduur
    assert (d.aantal, d.mediaan_dagen, d.p25_dagen, d.p75_dagen) == (2, 60.0, 50.0, 70.0)


def test_process_times_median_and_90th_percentile(cijfers):
    t = cijfers.doorlooptijden
    assert t.ontvangst_tot_besluit.model_dump() == {"aantal": 4, "mediaan_dagen": 4.0,
                                                    "p90_dagen": 6.4}
    assert t.besluit_tot_plan.model_dump() == {"aantal": 2, "mediaan_dagen": 15.0,
                                               "p90_dagen": 19.0}
    assert t.plan_tot_afsluiting.model_dump() == {"aantal": 2, "mediaan_dagen": 45.0,
                                                  "p90_dagen": 57.0}


def test_restraining_orders_and_detention_per_municipality(cijfers):
    assert {g: h.model_dump() for g, h in cijfers.huisverboden_per_gemeente.items()} == {
        "GM0957": {"rihg_ingevuld": 2, "opgelegd": 1, "ingetrokken": 0, "verlengd": 1,
                   "samenloop_strafrecht": 0},
        "GM0988": {"rihg_ingevuld": 0, "opgelegd": 0, "ingetrokken": 1, "verlengd": 0,
                   "samenloop_strafrecht": 1}}
    assert {g: d.model_dump() for g, d in cijfers.detentie_per_gemeente.items()} == {
        "GM0957": {"instroom": 1, "uitstroom": 1}}


def test_duplicates_count_once_and_order_does_not_matter():
    events = _jaar()
    cijfers = jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2025, _feiten(events)), INWONERS)
    # m1 again, republished under another event id.
    dubbel = events + events + [melding(melding_id=events[0].data["melding_id"],
                                        personen=[P1])]
    random.Random(5).shuffle(dubbel)
    assert jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2025, _feiten(dubbel)),
                               INWONERS) == cijfers
    stap_voor_stap = jaarverslag.Jaarstaat(HUIS, 2025)
    for f in _feiten(list(reversed(events))):
        stap_voor_stap = jaarverslag.voeg_toe(stap_voor_stap, f)
    assert jaarverslag.cijfers(stap_voor_stap, INWONERS) == cijfers


def test_a_melding_decided_again_counts_once_as_last_decided():
    m = melding()
    eerst = besluit(melding_id=m.data["melding_id"], dagen=1)
    daarna = besluit(melding_id=m.data["melding_id"], route="casusoverleg",
                     soort="netwerkoverleg", dagen=2)
    c = jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2025, _feiten([daarna, m, eerst])), {})
    assert c.vervolgacties_totaal == {"netwerkoverleg": 1}
    assert c.gescreend == 1


def test_an_empty_year_has_every_key_with_zero_or_empty():
    c = jaarverslag.cijfers(jaarverslag.Jaarstaat(HUIS, 2030), {}).model_dump(mode="json")
    assert c["meldingen_totaal"] == 0 and c["unieke_casussen"] == 0
    assert c["meldingen_per_doelgroep_per_gemeente"] == {} and c["huisverboden_per_gemeente"] == {}
    assert c["doorlooptijden"]["besluit_tot_plan"] == {"aantal": 0, "mediaan_dagen": None,
                                                       "p90_dagen": None}
    assert c["aanpak_na_screening_percentage"] == 0.0


@pytest.mark.parametrize("waarden", [[1.0], [3.0, 1.0], [1.0, 2.0, 4.0, 8.0, 16.0, 7.5]])
def test_quantiles_interpolate_like_the_standard_library(waarden):
    assert jaarverslag.kwantiel(waarden, 0.5) == pytest.approx(statistics.median(waarden))
    if len(waarden) > 1:
        assert jaarverslag.kwantiel(waarden, 0.9) == pytest.approx(
            statistics.quantiles(waarden, n=10, method="inclusive")[8])
