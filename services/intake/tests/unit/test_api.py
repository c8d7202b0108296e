"""Intake's HTTP API on SQLite: what a submitter may claim and what it gets to see."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from shared.contracts.huizen import HuisId
from shared.contracts.vocabulaire import Bron
from shared.testing import kop, teken_convenant
from shared.toegang import Rol, ToegangSettings, maak_token

HUIS = "parkstad"  # GM0917 Heerlen
ANDER_HUIS = "noord-limburg"


@pytest.fixture
def client(tmp_path) -> TestClient:
    from services.intake.bootstrap import bootstrap, migreer_database
    from services.intake.entrypoints.api import maak_app
    from services.intake.settings import IntakeSettings

    s = IntakeSettings(database_url=f"sqlite:///{tmp_path / 'intake.db'}")
    migreer_database(s)
    intake = bootstrap(s)
    # the partners these tests send for have signed their houses' covenants (shared/convenant)
    for huis in HuisId:
        teken_convenant(intake.uow, huis.value, "Mondriaan", "Veilig Thuis Limburg")
    return TestClient(maak_app(intake))


def partner(huis: str = HUIS) -> dict[str, str]:
    return kop(huis, "partner", organisatie="Mondriaan")


def melding(**kw: Any) -> dict[str, Any]:
    return {"bron": "partner", "organisatie": "Mondriaan", "bron_referentie": uuid.uuid4().hex,
            "doelgroep": "verward_gedrag", "gemeentecode": "GM0917",
            "betrokkenen": [{"rol": "betrokkene", "bsn": "314159265", "voornamen": "Karel",
                             "achternaam": "Bemelmans", "geboortedatum": "1978-07-21"}],
            "omschrijving": "Zorgmijding en overlast."} | kw


def persoon(voornamen: str, achternaam: str, geboortedatum: str = "1980-02-29",
            **kw: Any) -> dict[str, Any]:
    return {"rol": "betrokkene", "voornamen": voornamen, "achternaam": achternaam,
            "geboortedatum": geboortedatum, **kw}


def velden(r: Any) -> set[tuple[Any, ...]]:
    assert r.status_code == 422, r.text
    return {tuple(int(d) if d.isdigit() else d for d in p["name"].split("."))
            for p in r.json()["invalidParams"]}


# Finding 2: a submitter sees what it sent and the registration, not who the house knows.

def test_a_partner_reading_back_its_melding_learns_nothing_of_the_person_index(client):
    eerder = client.post("/api/v1/meldingen", json=melding(organisatie="Zorg- en "
                                                           "Veiligheidshuis"),
                         headers=kop(HUIS, "beheerder"))
    assert eerder.status_code == 201, eerder.text
    verstuurd = melding()
    r = client.post("/api/v1/meldingen", json=verstuurd, headers=partner())
    assert r.status_code == 201, r.text
    assert "persoon" not in r.text and "eerdere" not in r.text

    terug = client.get(r.headers["location"], headers=partner())

    assert terug.status_code == 200, terug.text
    body = terug.json()
    assert "persoon_id" not in terug.text and "eerdere_meldingen" not in terug.text
    assert eerder.json()["melding_id"] not in terug.text
    assert body["melding_id"] == r.json()["melding_id"] and body["status"] == "geregistreerd"
    assert body["bron_referentie"] == verstuurd["bron_referentie"]
    assert body["betrokkenen"] == verstuurd["betrokkenen"]
    # The house's screener still sees the link to the earlier melding.
    volledig = client.get(r.headers["location"], headers=kop(HUIS, "screener")).json()
    assert volledig["betrokkenen"][0]["eerdere_meldingen"] == [eerder.json()["melding_id"]]
    assert volledig["hoofdpersoon_id"] == volledig["betrokkenen"][0]["persoon_id"]


# Finding 3: names in any script are people, not empty strings.

def _persoon_id(client: TestClient, *betrokkenen: dict[str, Any]) -> list[str]:
    r = client.post("/api/v1/meldingen", json=melding(betrokkenen=list(betrokkenen)),
                    headers=partner())
    assert r.status_code == 201, r.text
    m = client.get(r.headers["location"], headers=kop(HUIS, "screener")).json()
    return [b["persoon_id"] for b in m["betrokkenen"]]


@pytest.mark.parametrize(("een", "ander"), [
    (("Иван", "Петров"), ("Сергей", "Смирнов")),
    (("محمد", "العلي"), ("أحمد", "حسن")),
    (("伟", "王"), ("娜", "李")),
    (("Γιώργος", "Παπαδόπουλος"), ("Νίκος", "Οικονόμου")),
], ids=["cyrillic", "arabic", "chinese", "greek"])
def test_different_people_with_one_birth_date_stay_different_in_any_script(client, een, ander):
    [a] = _persoon_id(client, persoon(*een))
    [b] = _persoon_id(client, persoon(*ander))
    [a_weer] = _persoon_id(client, persoon(*een))
    assert a != b
    assert a_weer == a, "the same name and birth date is still the same person"


@pytest.mark.parametrize(("geschreven", "zonder"), [
    (("Ayşe", "Yılmaz"), ("Ayse", "Yilmaz")),
    (("Łukasz", "Wałęsa"), ("Lukasz", "Walesa")),
    (("Søren", "Strauß"), ("Soren", "Strauss")),
    (("Сергей", "Смирнов"), ("Sergei", "Smirnov")),
], ids=["turkish", "polish", "danish-german", "cyrillic-latin"])
def test_letters_beyond_a_to_z_are_transliterated_not_dropped(client, geschreven, zonder):
    [a] = _persoon_id(client, persoon(*geschreven))
    [b] = _persoon_id(client, persoon(*zonder))
    assert a == b


def test_the_same_name_with_invisible_characters_or_diacritics_is_the_same_person(client):
    [a] = _persoon_id(client, persoon("Piet Jan", "Hermans-Çelik"))
    verborgen = persoon("\u200bPiet\u00a0Jan", "Her\u200dmans\u202e-Celik\u00ad")
    [b] = _persoon_id(client, verborgen)
    [c] = _persoon_id(client, persoon("PIET", "hermans celik"))
    assert a == b == c


def test_a_name_too_short_to_identify_anyone_is_not_matched(client):
    # One letter (or none after transliteration) fits too many people with that birth date.
    for voornamen, achternaam in (("J", "Bemelmans"), ("Karel", "X"), ("🙂", "Bemelmans")):
        [a] = _persoon_id(client, persoon(voornamen, achternaam))
        [b] = _persoon_id(client, persoon(voornamen, achternaam))
        assert a != b, (voornamen, achternaam)
    # The BSN still links, however short the name.
    [a] = _persoon_id(client, persoon("J", "X", bsn="123456782"))
    [b] = _persoon_id(client, persoon("J", "X", bsn="123456782"))
    assert a == b


# Finding 5: origin and dates are the token's to say, within sane bounds.

@pytest.mark.parametrize("bron", ["politie", "dji", "veilig_thuis", "zsm", "gemeente"])
def test_a_partner_cannot_claim_another_source(client, bron):
    r = client.post("/api/v1/meldingen", json=melding(bron=bron), headers=partner())
    assert velden(r) == {("bron",)}
    assert "'partner'" in r.json()["invalidParams"][0]["reason"]


def test_a_chain_sends_as_the_source_its_token_names(client):
    token = maak_token(ToegangSettings(), huis=HuisId(HUIS), rollen=[Rol.PARTNER],
                       naam="vt", organisatie="Veilig Thuis Limburg", bron=Bron.VEILIG_THUIS)
    kop_vt = {"Authorization": f"Bearer {token}"}
    m = melding(organisatie="Veilig Thuis Limburg")
    assert client.post("/api/v1/meldingen", json=m, headers=kop_vt).status_code == 422
    r = client.post("/api/v1/meldingen", json=m | {"bron": "veilig_thuis"}, headers=kop_vt)
    assert r.status_code == 201, r.text
    assert client.get(r.headers["location"], headers=kop_vt).json()["bron"] == "veilig_thuis"


@pytest.mark.parametrize("ontvangen_op", ["0001-01-01T00:00:00Z", "2025-03-01T09:00:00+01:00"])
def test_a_partner_cannot_date_a_melding_back(client, ontvangen_op):
    r = client.post("/api/v1/meldingen", json=melding(ontvangen_op=ontvangen_op),
                    headers=partner())
    assert velden(r) == {("ontvangen_op",)}
    assert "beheerder" in r.json()["invalidParams"][0]["reason"]


def test_a_partner_may_state_now_as_the_moment_of_receipt(client):
    nu = datetime.now(UTC).isoformat()
    r = client.post("/api/v1/meldingen", json=melding(ontvangen_op=nu), headers=partner())
    assert r.status_code == 201, r.text


def test_a_beheerder_loads_history_of_any_source_back_to_2000(client):
    beheerder = kop(HUIS, "beheerder")
    for bron in ("politie", "dji", "partner"):
        r = client.post("/api/v1/meldingen", headers=beheerder, json=melding(
            bron=bron, ontvangen_op="2025-03-01T09:00:00+01:00"))
        assert r.status_code == 201, r.text
    for te_vroeg in ("0001-01-01T00:00:00Z", "1999-12-31T23:00:00Z"):
        r = client.post("/api/v1/meldingen", headers=beheerder,
                        json=melding(ontvangen_op=te_vroeg))
        assert velden(r) == {("ontvangen_op",)}
        assert "2000-01-01" in r.json()["invalidParams"][0]["reason"]


def test_an_implausible_birth_date_is_refused_naming_the_field(client):
    morgen = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    for datum in ("0001-01-01", "1899-12-31", morgen):
        r = client.post("/api/v1/meldingen", headers=partner(), json=melding(
            betrokkenen=[persoon("Karel", "Bemelmans", datum)]))
        assert velden(r) == {("betrokkenen", 0, "geboortedatum")}, datum
    for datum in ("1900-01-01", datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()):
        r = client.post("/api/v1/meldingen", headers=partner(), json=melding(
            betrokkenen=[persoon("Karel", "Bemelmans", datum)]))
        assert r.status_code == 201, (datum, r.text)


# Finding 10: a repeated reference, and NUL characters.

def test_a_replayed_reference_answers_only_whom_the_melding_is_for(client):
    m = melding()
    eerste = client.post("/api/v1/meldingen", json=m, headers=partner())
    assert eerste.status_code == 201, eerste.text

    vreemd = client.post("/api/v1/meldingen", json=m, headers=kop(ANDER_HUIS, "beheerder"))

    assert vreemd.status_code == 409, vreemd.text
    assert eerste.json()["melding_id"] not in vreemd.text and HUIS not in vreemd.text
    assert "location" not in vreemd.headers
    # The sender's retry and the house's own beheerder get the registration.
    for kop_ in (partner(), partner(ANDER_HUIS), kop(HUIS, "beheerder")):
        weer = client.post("/api/v1/meldingen", json=m, headers=kop_)
        assert weer.status_code == 200, weer.text
        assert weer.json()["melding_id"] == eerste.json()["melding_id"]


@pytest.mark.parametrize("pad", [("omschrijving",), ("bron_referentie",), ("organisatie",),
                                 ("betrokkenen", 0, "voornamen"),
                                 ("betrokkenen", 0, "achternaam")],
                         ids=lambda pad: ".".join(map(str, pad)))
def test_a_nul_character_in_text_is_refused_naming_the_field(client, pad):
    m = json.loads(json.dumps(melding()))
    doel = m
    for deel in pad[:-1]:
        doel = doel[deel]
    doel[pad[-1]] = f"voor\x00{doel[pad[-1]]}"
    r = client.post("/api/v1/meldingen", json=m, headers=kop(HUIS, "beheerder"))
    assert velden(r) == {pad}
    assert "NUL" in r.json()["invalidParams"][0]["reason"]


# Issue 16: a melding may name its CBS wijk; a wrong one is refused naming the field.

def test_a_melding_keeps_the_wijk_it_names(client):
    r = client.post("/api/v1/meldingen", json=melding(gemeentecode="GM0935", wijk="WK093505"),
                    headers=kop("maastricht-heuvelland", "partner", organisatie="Mondriaan"))
    assert r.status_code == 201, r.text
    m = client.get(r.headers["location"], headers=kop("maastricht-heuvelland", "screener"))
    assert m.json()["wijk"] == "WK093505"
    zonder = client.post("/api/v1/meldingen", json=melding(), headers=partner())
    assert client.get(zonder.headers["location"],
                      headers=kop(HUIS, "screener")).json()["wijk"] is None


@pytest.mark.parametrize("wijk, in_reden", [
    ("Noordoost", "WK"), ("WK09350", "WK"), ("wk093505", "WK"),
    ("WK093505", "GM0935"),  # a wijk of Maastricht on a melding about Heerlen
])
def test_a_wijk_that_is_no_cbs_code_of_the_municipality_is_refused_naming_it(client, wijk,
                                                                              in_reden):
    r = client.post("/api/v1/meldingen", json=melding(wijk=wijk), headers=partner())
    assert velden(r) == {("wijk",)}
    assert in_reden in r.json()["invalidParams"][0]["reason"]


def test_a_signal_of_radicalisation_goes_to_its_own_topic_and_only_members_read_it(client):
    """A melding marked radicalisering is published on the house's radicalisation topic, not on
    its meldingen topic; a screener of the house neither reads it nor sees it among a person's
    earlier meldingen; a member of the case meeting does."""
    from sqlalchemy import select

    from services.intake.adapters.tabellen import outbox

    signaal = client.post("/api/v1/meldingen", json=melding(radicalisering=True,
                                                            doelgroep="radicalisering"),
                          headers=partner())
    assert signaal.status_code == 201, signaal.text
    melding_id = signaal.json()["melding_id"]
    later = client.post("/api/v1/meldingen", json=melding(), headers=partner())
    engine = client.app.state.dienst.engine  # type: ignore[attr-defined]
    with engine.connect() as c:
        topics = [r.topic for r in c.execute(select(outbox.c.topic).order_by(outbox.c.id))]
    assert topics == [f"vhh.{HUIS}.radicalisering.v1", f"vhh.{HUIS}.meldingen.v1"]

    screener = kop(HUIS, "screener")
    assert client.get(f"/api/v1/meldingen/{melding_id}", headers=screener).status_code == 404
    gewoon = client.get(later.headers["location"], headers=screener).json()
    assert all(melding_id not in map(str, b["eerdere_meldingen"]) for b in gewoon["betrokkenen"])
    lid = client.get(f"/api/v1/meldingen/{melding_id}", headers=kop(HUIS, "radicalisering"))
    assert lid.status_code == 200 and lid.json()["radicalisering"] is True
    # the partner that sent it reads back what it sent
    assert client.get(f"/api/v1/meldingen/{melding_id}", headers=partner()).status_code == 200
