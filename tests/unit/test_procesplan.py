"""What `vhh run` starts and as whom: the provincial services, and every house's own deployment
as that house's principal; nothing long-running as the super user (no broker needed)."""

from __future__ import annotations

import json

from shared import huisdeployment as hd
from shared import kafka_acls as ka
from shared import procesplan as pp
from shared.contracts.huizen import HuisId


def test_vhh_run_start_de_provincie_en_elk_huis_als_zijn_eigen_principal():
    delen = pp.plan()
    assert [(d.naam, d.principal) for d in delen] == [
        ("intake", "intake"), ("nazorg", "nazorg-provincie"),
        *((h.value, f"huis-{h.value}") for h in HuisId)]
    for d in delen[2:]:
        # exactly what `vhh run --house` starts for that house
        assert [d] == pp.plan(d.naam)
        eigen = hd.lees(d.naam)
        assert [p.naam for p in d.processen] == [p.naam for p in eigen.processen()]
        assert d.run_map == f"huizen/{d.naam}"
        assert d.databases == eigen.databases()


def test_geen_proces_logt_in_als_beheer():
    for d in [*pp.plan(), *pp.plan(provincie=False), *pp.plan(huizen=False)]:
        assert d.principal != ka.BEHEER
        assert d.principal in ka.principals()
        assert not any(k.startswith("VHH_KAFKA_") for k in d.instellingen)


def test_elk_proces_draait_een_keer_op_een_eigen_poort():
    delen = pp.plan()
    namen = [p.naam for d in delen for p in d.processen]
    assert len(namen) == len(set(namen))
    poorten = [p for d in delen for p in d.poorten]
    assert len(poorten) == len(set(poorten))
    # one API per service of each part
    assert len(poorten) == sum(1 for d in delen for p in d.processen if p.naam.endswith("-api"))
    databases = [db for d in delen for db in d.databases.values()]
    assert len(databases) == len(set(databases))


def test_de_provinciale_nazorg_bedient_de_huizen_die_hem_gebruiken():
    [nazorg] = [d for d in pp.plan() if d.naam == "nazorg"]
    gebruikers = [d for d in hd.alle() if "nazorg" in d.provinciaal]
    assert json.loads(nazorg.instellingen["VHH_NAZORG_HUIZEN"]) == [
        d.huis.value for d in gebruikers]
    # a house with a nazorg of its own is served by that one only
    assert "maastricht-heuvelland" not in nazorg.instellingen["VHH_NAZORG_HUIZEN"]
    assert any(d.naam == "maastricht-heuvelland-nazorg-worker"
               for d in pp.plan("maastricht-heuvelland")[0].processen)
    # each house's navigation on its pages leads to that house's own workbench
    per_huis = json.loads(nazorg.instellingen["VHH_WERKBANK_HUIZEN"])
    for d in gebruikers:
        assert per_huis[d.huis.value]["triage_url"] == d.url("triage")
        assert pp.huis(d).instellingen["VHH_WERKBANK_NAZORG_URL"] == pp.provinciale_url("nazorg")


def test_alleen_de_provincie():
    assert [d.naam for d in pp.plan(huizen=False)] == ["intake", "nazorg"]


def test_vhh_run_kiest_ontwikkeling_voor_elk_proces():
    for d in [*pp.plan(), *pp.plan(provincie=False), *pp.plan(huizen=False)]:
        assert d.omgeving(lambda db: f"postgresql+psycopg://x/{db}")["VHH_OMGEVING"] == \
            "ontwikkeling"


def test_de_lean_set_draait_elk_huis_als_een_proces_met_al_zijn_eigen_diensten():
    """`vhh run`'s default: one process per part. A house's own services share one process
    (``python -m services samen <dienst> ...``), each with its own settings and port, logged in
    as the house's principal; intake and the provincial nazorg keep their own."""
    delen = pp.plan()
    samen = pp.samengevoegd(delen)
    assert [d.naam for d in samen] == [d.naam for d in delen]
    for los, een in zip(delen, samen, strict=True):
        [proces] = een.processen
        diensten = list(dict.fromkeys(p.dienst for p in los.processen))
        if len(diensten) == 1:
            assert proces.commando[1:] == ["-m", f"services.{diensten[0]}", "samen"]
        else:
            assert proces.commando[1:] == ["-m", "services", "samen", *diensten]
            assert proces.naam == f"{los.naam}-diensten"
        assert een.principal == los.principal and een.instellingen == los.instellingen
    huizen = {d.naam: d for d in samen if d.huis is not None}
    assert len(huizen) == 5
    assert len([p for d in samen for p in d.processen]) == 7
