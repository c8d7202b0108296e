"""The case as a fold over its events, the director's commands and the escalation clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.regie.domain import commando as c
from services.regie.domain.casus import Casus, evolve
from shared.contracts import regie as e
from shared.contracts.regie import Actiestatus, Casusstatus
from shared.contracts.triage import BesluitGenomen, Feiten, Leefgebied, Route
from shared.kit.fouten import Conflict, Weigering

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
VANDAAG = NU.date()


def besluit(route: Route = Route.PERSOONSGERICHTE_AANPAK, soort: str | None = "top_x"
            ) -> BesluitGenomen:
    from services.triage.domain.regels import adviseer

    p = uuid4()
    f = Feiten()
    return BesluitGenomen(
        besluit_id=uuid4(), melding_id=uuid4(), huis="parkstad", hoofdpersoon_id=p,
        persoon_ids=[p, uuid4()], doelgroep="huiselijk_geweld", gemeentecode="GM0917",
        ontvangen_op=NU - timedelta(days=3), feiten=f, advies=adviseer(f), route=route,
        soort=soort, afwijking=True, motivering="m", terugkoppeling_aan="Politie",
        besloten_door="scr", besloten_op=NU - timedelta(days=1))


def toepassen(k: Casus | None, events: list[e.CasusEvent]) -> Casus:
    for ev in events:
        k = evolve(k, ev)
    assert k is not None
    return k


def nieuwe_casus() -> Casus:
    aangemeld = c.meld_aan(besluit(), NU)
    assert aangemeld is not None
    return toepassen(None, [aangemeld])


def met_plan() -> tuple[Casus, e.ActieToegevoegd]:
    k = toepassen(nieuwe_casus(), c.wijs_regisseur_toe(nieuwe_casus(), "Pim", "mgr", NU))
    k = toepassen(k, c.voeg_doel_toe(k, Leefgebied.HUISVESTING, "Woning behouden", "Pim", NU))
    [doel_id] = k.doelen
    [actie] = c.voeg_actie_toe(k, doel_id, "Schuldhulp aanvragen", "Kredietbank", VANDAAG,
                               None, "Pim", NU)
    assert isinstance(actie, e.ActieToegevoegd)
    return toepassen(k, [actie]), actie


def test_besluit_opent_lang_of_kort_traject_en_verwijzing_niets():
    assert c.meld_aan(besluit(), NU).traject == "lang"
    assert c.meld_aan(besluit(Route.CASUSOVERLEG, "netwerkoverleg"), NU).traject == "kort"
    assert c.meld_aan(besluit(Route.TERUGVERWIJZEN, None), NU) is None


def test_zelfde_besluit_geeft_zelfde_casus_id():
    b = besluit()
    assert c.meld_aan(b, NU).casus_id == c.meld_aan(b, NU + timedelta(hours=1)).casus_id


def test_levensloop_van_aangemeld_tot_afgesloten():
    k, actie = met_plan()
    assert k.status is Casusstatus.IN_VOORBEREIDING
    k = toepassen(k, c.stel_plan_vast(k, True, "Pim", NU))
    assert (k.status, k.client_ondertekend) == (Casusstatus.PLAN_VASTGESTELD, True)
    k = toepassen(k, c.start_uitvoering(k, "Pim", NU))
    k = toepassen(k, c.wijzig_actiestatus(k, actie.actie_id, Actiestatus.GEREED, "Pim", NU))
    k = toepassen(k, c.schaal_af(k, "sociaal wijkteam", "stabiel", "Pim", NU))
    assert k.status is Casusstatus.AFGESCHAALD
    k = toepassen(k, c.sluit_af(k, "doelen bereikt", "Pim", NU + timedelta(days=30)))
    assert k.status is Casusstatus.AFGESLOTEN
    assert k.doorlooptijd_dagen(NU + timedelta(days=400)) == 0  # ended when scaled down


def test_plan_vraagt_regisseur_doel_en_actie():
    k = nieuwe_casus()
    with pytest.raises(Weigering, match="procesregisseur"):
        c.stel_plan_vast(k, False, "Pim", NU)
    k = toepassen(k, c.wijs_regisseur_toe(k, "Pim", "mgr", NU))
    with pytest.raises(Weigering) as fout:
        c.stel_plan_vast(k, False, "Pim", NU)
    assert fout.value.veld == "plan"


@pytest.mark.parametrize("stap", [
    lambda k: c.start_uitvoering(k, "Pim", NU),
    lambda k: c.schaal_af(k, "wijkteam", "", "Pim", NU),
])
def test_stappen_buiten_de_volgorde_worden_geweigerd(stap):  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        stap(nieuwe_casus())


def test_afgesloten_casus_neemt_niets_meer_aan():
    k = nieuwe_casus()
    k = toepassen(k, c.sluit_af(k, "dubbel", "Pim", NU))
    with pytest.raises(Conflict):
        c.voeg_doel_toe(k, Leefgebied.VEILIGHEID, "x", "Pim", NU)
    with pytest.raises(Conflict):
        c.sluit_af(k, "nog eens", "Pim", NU)


def test_actie_bij_onbekend_doel_noemt_het_veld():
    with pytest.raises(Weigering) as fout:
        c.voeg_actie_toe(nieuwe_casus(), uuid4(), "x", "GGZ", VANDAAG, None, "Pim", NU)
    assert fout.value.veld == "doel_id"


def test_terugval_heropent_alleen_een_beeindigde_casus():
    k = nieuwe_casus()
    assert c.terugval(k, uuid4(), NU) == []
    k = toepassen(k, c.sluit_af(k, "klaar", "Pim", NU))
    melding = uuid4()
    k = toepassen(k, c.terugval(k, melding, NU))
    assert (k.status, k.terugval, k.keer_heropend) == (Casusstatus.IN_VOORBEREIDING, True, 1)
    assert c.terugval(k, melding, NU) == []


def test_escalatie_bij_deadline_en_verder_als_de_actie_open_blijft():
    k, actie = met_plan()
    assert c.te_escaleren(k, VANDAAG, 5, NU) == []  # the deadline day itself is still in time
    morgen = VANDAAG + timedelta(days=1)
    [een] = c.te_escaleren(k, morgen, 5, NU + timedelta(days=1))
    assert (een.actie_id, een.niveau) == (actie.actie_id, 1)
    k = toepassen(k, [een])
    assert c.te_escaleren(k, morgen + timedelta(days=4), 5, NU) == []  # once per level
    [twee] = c.te_escaleren(k, morgen + timedelta(days=5), 5, NU + timedelta(days=6))
    assert twee.niveau == 2
    k = toepassen(k, [twee])
    k = toepassen(k, c.wijzig_actiestatus(k, actie.actie_id, Actiestatus.GEREED, "Pim", NU))
    assert c.te_escaleren(k, morgen + timedelta(days=30), 5, NU) == []
    assert k.escalaties == []


def test_escalatie_stopt_bij_de_stuurgroep():
    k, _ = met_plan()
    dag = VANDAAG
    for _ in range(6):
        dag += timedelta(days=10)
        k = toepassen(k, c.te_escaleren(k, dag, 5, datetime.combine(dag, NU.timetz())))
    assert [a.escalatieniveau for a in k.acties.values()] == [c.MAX_ESCALATIENIVEAU]


def test_overleg_telt_als_besproken_na_het_verslag():
    k = nieuwe_casus()
    [gepland] = c.plan_overleg(k, VANDAAG, ["GGZ", "Politie"], None, "Pim", NU)
    k = toepassen(k, [gepland])
    assert k.keer_besproken == 0
    k = toepassen(k, c.leg_overleg_vast(k, gepland.overleg_id, ["GGZ"], True, "besproken",
                                        "Pim", NU))
    assert k.keer_besproken == 1
    with pytest.raises(Conflict):
        c.leg_overleg_vast(k, gepland.overleg_id, [], False, "x", "Pim", NU)


def test_overdracht_sluit_hier_af_en_biedt_de_casus_met_plan_aan_het_andere_huis():
    k, actie = met_plan()  # Parkstad, goal huisvesting, one open action
    events, aangeboden = c.draag_over(k, "GM0935", "verhuisd naar Maastricht", "Pim", NU)
    k = toepassen(k, events)
    o = aangeboden.overdracht
    assert (k.status, k.overgedragen_naar) == (Casusstatus.AFGESLOTEN,
                                               ("maastricht-heuvelland", o.casus_id))
    assert (o.huis.value, o.van_huis.value, o.van_casus_id, o.gemeentecode) == (
        "maastricht-heuvelland", "parkstad", k.casus_id, "GM0935")
    nieuw = toepassen(None, c.neem_over(aangeboden, NU))
    assert (nieuw.status, nieuw.overgenomen_van) == (Casusstatus.AANGEMELD,
                                                     ("parkstad", k.casus_id))
    assert [d.omschrijving for d in nieuw.doelen.values()] == ["Woning behouden"]
    assert [a.partner for a in nieuw.acties.values()] == [actie.partner]
    with pytest.raises(Conflict):
        c.draag_over(k, "GM0935", "nog eens", "Pim", NU)


@pytest.mark.parametrize(("gemeente", "veld"), [("GM0917", "naar_gemeentecode"),
                                                ("GM0363", "naar_gemeentecode")])
def test_overdracht_naar_eigen_huis_of_buiten_limburg_wordt_geweigerd(gemeente, veld):  # type: ignore[no-untyped-def]
    with pytest.raises(Weigering) as fout:
        c.draag_over(nieuwe_casus(), gemeente, "verhuisd", "Pim", NU)
    assert fout.value.veld == veld


def test_de_aanmelding_draagt_de_wijk_van_het_besluit():
    b = besluit().model_copy(update={"wijk": "WK091701"})
    aangemeld = c.meld_aan(b, NU)
    assert aangemeld is not None and aangemeld.wijk == "WK091701"
    assert c.meld_aan(besluit(), NU).wijk is None
