"""Each house's deployment configuration, and what it means for its processes."""

from __future__ import annotations

import pytest

from shared import huisdeployment as hd
from shared.contracts.huizen import HuisId


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
    assert env["VHH_TRIAGE_RELAY_NAAM"] == "noord-limburg.triage"
    assert env["VHH_REGIE_CONSUMER_GROEP"] == "vhh-noord-limburg.regie"
    assert env["VHH_REPORTING_INSTANTIE"] == "noord-limburg.reporting"
    assert env["VHH_WERKBANK_NAZORG_URL"] == "http://nazorg"
    assert "VHH_INTAKE_HUIZEN" not in env


@pytest.mark.parametrize(("inhoud", "melding"), [
    ('huis = "parkstad"\neigen = ["intake"]\nprovinciaal = []\npoort_basis = 1',
     "cannot run per house"),
    ('huis = "parkstad"\neigen = ["triage"]\nprovinciaal = []\npoort_basis = 1',
     "needs the provincial intake"),
    ('huis = "parkstad"\neigen = ["nazorg"]\nprovinciaal = ["nazorg"]\npoort_basis = 1',
     "both run by the house and provincial"),
    ('huis = "noord-limburg"\neigen = []\nprovinciaal = []\npoort_basis = 1',
     "huis must be"),
    # every house counts its own streams: no provincial process reads a house's topics for it
    ('huis = "parkstad"\neigen = ["triage"]\nprovinciaal = ["intake", "reporting"]\n'
     'poort_basis = 1', "not a provincial service"),
])
def test_foute_configuratie_zegt_wat_er_mis_is(tmp_path, inhoud, melding):  # type: ignore[no-untyped-def]
    (tmp_path / "parkstad.toml").write_text(inhoud)
    with pytest.raises(hd.ConfiguratieFout, match=melding):
        hd.lees("parkstad", tmp_path)


def test_onbekend_huis():
    with pytest.raises(hd.ConfiguratieFout, match="unknown house"):
        hd.lees("venlo")
