"""Each house's deployment configuration, and what it means for its processes."""

from __future__ import annotations

import pytest

from shared import huisdeployment as hd
from shared.contracts.huizen import HuisId, lees_indeling


def test_elk_huis_heeft_een_geldige_configuratie():
    deployments = hd.alle()
    assert [d.huis for d in deployments] == list(HuisId)
    poorten = [d.poort(s) for d in deployments for s in d.eigen]
    assert len(poorten) == len(set(poorten)), "two houses would share an HTTP port"


def test_noord_limburg_draait_triage_en_regie_zelf_en_gebruikt_de_provinciale_nazorg():
    d = hd.lees("noord-limburg")
    assert {"triage", "regie"} <= set(d.eigen) and "nazorg" in d.provinciaal
    namen = [p.naam for p in d.processen()]
    assert "noord-limburg-triage-worker" in namen
    assert not any("nazorg" in n or "intake" in n for n in namen)


def test_eigen_diensten_bedienen_alleen_het_huis_met_eigen_namen():
    d = hd.lees("noord-limburg")
    env = d.omgeving(lambda db: f"postgresql://x/{db}", {"nazorg": "http://nazorg"})
    assert env["VHH_TRIAGE_HUIZEN"] == '["noord-limburg"]'
    assert env["VHH_TRIAGE_DATABASE_URL"] == "postgresql://x/triage_noord_limburg"
    # one name per instance, for every service: groups and relay ids follow from it
    assert env["VHH_TRIAGE_INSTANTIE"] == "noord-limburg.triage"
    assert env["VHH_REGIE_INSTANTIE"] == "noord-limburg.regie"
    assert env["VHH_REPORTING_INSTANTIE"] == "noord-limburg.reporting"
    assert not any(k.endswith(("_CONSUMER_GROEP", "_RELAY_NAAM")) for k in env)
    assert env["VHH_WERKBANK_NAZORG_URL"] == "http://nazorg"
    assert "VHH_INTAKE_HUIZEN" not in env


@pytest.mark.parametrize(("inhoud", "melding"), [
    ('eigen = ["intake"]\nprovinciaal = []', "cannot run per house"),
    ('eigen = ["triage"]\nprovinciaal = []', "needs the provincial intake"),
    ('eigen = ["nazorg"]\nprovinciaal = ["nazorg"]', "both run by the house and provincial"),
    # every house counts its own streams: no provincial process reads a house's topics for it
    ('eigen = ["triage"]\nprovinciaal = ["intake", "reporting"]', "not a provincial service"),
])
def test_foute_configuratie_zegt_wat_er_mis_is(tmp_path, inhoud, melding):  # type: ignore[no-untyped-def]
    pad = tmp_path / "gebiedsindeling.toml"
    pad.write_text(f'[[huis]]\nid = "parkstad"\nnaam = "Parkstad"\npoort_basis = 1\n{inhoud}\n'
                   '[[gemeente]]\ncode = "GM0917"\nnaam = "Heerlen"\nhuis = "parkstad"\n'
                   'inwoners = 1\n')
    with pytest.raises(hd.ConfiguratieFout, match=melding):
        hd.lees("parkstad", lees_indeling(pad))


def test_onbekend_huis():
    with pytest.raises(hd.ConfiguratieFout, match="unknown house"):
        hd.lees("venlo")
