"""The screening queue on a real PostgreSQL, fed through the consumer's path: pages that skip
and repeat nothing while meldingen arrive, filters, search by name and birth date through the
pseudonymous index, a decided melding leaving the queue, code rood first and its alarm."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from services.triage import handlers
from services.triage.adapters.tabellen import melding_persoon, zoeksleutel
from services.triage.domain.besluit import Keuze
from services.triage.tests.integration.wachtrij import HUIS, NU, Huis, huis_op
from shared.contracts.triage import Feiten, Route
from shared.testing import kop, teken_convenant
from shared.tijd import ZONE


@pytest.fixture
def huis(nieuwe_database: str) -> Iterator[Huis]:
    yield from huis_op(nieuwe_database)


def _besluit(huis: Huis, melding_id) -> None:  # type: ignore[no-untyped-def]
    handlers.vraag_advies(melding_id, Feiten(), "scr", uow=huis.triage.uow, klok=huis.klok)
    handlers.neem_besluit(melding_id, Keuze(Route.TERUGVERWIJZEN, None, None, "Wijkteam"),
                          "scr", uow=huis.triage.uow, klok=huis.klok)


def test_pages_skip_and_repeat_nothing_while_meldingen_arrive(huis):  # type: ignore[no-untyped-def]
    # same deadline and same moment of receipt for many: the order must still be total
    zelfde = NU - timedelta(days=1)
    eerst = [huis.meld(ontvangen_op=zelfde if i % 3 else NU - timedelta(hours=i))
             for i in range(70)]
    gezien: list[str] = []
    pagina = huis.wachtrij(limit=15)
    assert pagina["aantal"] == 70 and pagina["limit"] == 15 and pagina["offset"] == 0
    assert pagina["vorige"] is None
    while True:
        gezien += [s["melding"]["melding_id"] for s in pagina["items"]]
        # new meldingen arrive between the pages, some before and some after the reader's place
        huis.meld(ontvangen_op=NU - timedelta(days=2))
        huis.meld(urgentie="code_rood", ontvangen_op=NU)
        huis.meld(ontvangen_op=NU)
        if not pagina["volgende"]:
            break
        pagina = huis.wachtrij(limit=15, cursor=pagina["volgende"])
    assert len(gezien) == len(set(gezien)), "a melding came back on a later page"
    assert {str(m.melding_id) for m in eerst} <= set(gezien), "a melding was skipped"

    # back from the second page is the first page again
    eerste = huis.wachtrij(limit=15)
    tweede = huis.wachtrij(limit=15, cursor=eerste["volgende"])
    assert tweede["offset"] == 15 and tweede["vorige"]
    terug = huis.wachtrij(limit=15, voor=tweede["vorige"])
    assert terug["items"] == eerste["items"]
    assert terug["offset"] == 0 and terug["vorige"] is None and terug["volgende"]


def test_filters_choose_the_meldingen(huis):  # type: ignore[no-untyped-def]
    jeugd = huis.meld(doelgroep="jeugd", gemeentecode="GM0935", wijk="WK093501",
                      bron="politie")
    hg = huis.meld(doelgroep="huiselijk_geweld", gemeentecode="GM0888", bron="partner")
    oud = huis.meld(ontvangen_op=NU - timedelta(days=12))  # deadline already passed
    ref = huis.meld(referentie="VT-2026-00042", bron="veilig_thuis")

    def ids(**params):  # type: ignore[no-untyped-def]
        return set(huis.alle_ids(**params))

    assert ids(doelgroep="jeugd") == {str(jeugd.melding_id)}
    assert ids(gemeente="GM0888") == {str(hg.melding_id)}
    assert ids(wijk="WK093501") == {str(jeugd.melding_id)}
    assert ids(bron="veilig_thuis") == {str(ref.melding_id)}
    assert ids(referentie="VT-2026-00042") == {str(ref.melding_id)}
    assert ids(termijn_voor=(NU.date() - timedelta(days=1)).isoformat()) == {
        str(oud.melding_id)}
    assert str(oud.melding_id) not in ids(termijn_na=NU.date().isoformat())
    assert ids(doelgroep="jeugd", bron="partner") == set()


def test_a_bad_filter_is_a_problem_naming_the_parameter(huis):  # type: ignore[no-untyped-def]
    for params, veld in (({"status": "open"}, "status"), ({"termijn_voor": "gisteren"},
                         "termijn_voor"), ({"limit": "1000"}, "limit"),
                         ({"cursor": "niet-van-hier"}, "cursor"),
                         ({"voornamen": "Jan"}, "geslachtsnaam")):
        r = huis.client.get(f"/api/v1/triage/{HUIS}/wachtrij", params=params,
                            headers=kop(HUIS, "screener"))
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [p["name"] for p in r.json()["invalidParams"]] == [veld]


def test_search_by_name_and_birth_date_finds_only_that_person(huis):  # type: ignore[no-untyped-def]
    jan, naamgenoot, tweeling = uuid4(), uuid4(), uuid4()
    geboren = date(1984, 5, 6)
    eigen = [huis.meld(personen=[(jan, "Jan Pieter", "de Vries", geboren)]),
             huis.meld(personen=[(uuid4(), "Anna", "Bakker", None),
                                 (jan, "Jan", "de Vries", geboren)])]
    huis.meld(personen=[(naamgenoot, "Jan", "de Vries", date(1990, 1, 1))])
    huis.meld(personen=[(tweeling, "Joost", "de Vries", geboren)])
    gevonden = huis.alle_ids(voornamen="jan", achternaam="De Vries",
                             geboortedatum=geboren.isoformat())
    assert sorted(gevonden) == sorted(str(m.melding_id) for m in eigen)
    assert huis.alle_ids(voornamen="Jan", achternaam="de Vries",
                         geboortedatum="1984-05-07") == []
    # the index holds keyed hashes: no name or birth date in the clear
    with huis.triage.uow() as u:
        rijen = u.session.execute(select(zoeksleutel)).all()
    assert rijen and all(len(r.sleutel) == 64 and "vries" not in r.sleutel.lower()
                         for r in rijen)
    # an erased person's keys go: they are no longer found by name
    with huis.triage.uow() as u:
        u.wis_persoon(jan)
        u.commit()
    assert huis.alle_ids(voornamen="Jan", achternaam="de Vries",
                         geboortedatum=geboren.isoformat()) == []
    with huis.triage.uow() as u:
        assert u.session.scalar(select(melding_persoon.c.naam).where(
            melding_persoon.c.persoon_id == jan)) == "[gewist]"


def test_a_decided_melding_leaves_the_queue_and_old_ones_the_default_view(huis):  # type: ignore[no-untyped-def]
    besloten, open_ = huis.meld(), huis.meld()
    oud = huis.meld(ontvangen_op=NU - timedelta(days=60))
    _besluit(huis, besloten.melding_id)
    standaard = huis.alle_ids()
    assert str(open_.melding_id) in standaard
    assert str(besloten.melding_id) not in standaard
    assert str(oud.melding_id) not in standaard
    assert huis.alle_ids(status="besloten") == [str(besloten.melding_id)]
    assert huis.alle_ids(status="verouderd") == [str(oud.melding_id)]
    assert set(huis.alle_ids(status="alle")) == {str(m.melding_id)
                                                 for m in (besloten, open_, oud)}
    # the start page counts what the default view holds
    start = huis.client.get("/", headers=kop(HUIS, "screener"))
    assert start.status_code == 200


def test_groups_come_from_the_table(huis):  # type: ignore[no-untyped-def]
    ouder, kind = uuid4(), uuid4()
    a = huis.meld(personen=[(ouder, "Els", "Smit", None)])
    b = huis.meld(personen=[(ouder, "Els", "Smit", None), (kind, "Tim", "Smit", None)])
    los = huis.meld()
    items = {s["melding"]["melding_id"]: s for s in huis.wachtrij()["items"]}
    ga, gb = items[str(a.melding_id)]["groep"], items[str(b.melding_id)]["groep"]
    assert ga == gb and (ga["meldingen"], ga["personen"]) == (2, 2)
    assert items[str(los.melding_id)]["groep"]["meldingen"] == 1
    assert items[str(los.melding_id)]["groep"]["groep_id"] != ga["groep_id"]


def test_code_rood_is_due_today_comes_first_and_alarms_at_the_end_of_the_day(huis):  # type: ignore[no-untyped-def]
    # an ordinary melding whose deadline is today, and one received today (deadline later)
    verlopen = huis.meld(ontvangen_op=NU - timedelta(days=7))
    gewoon = huis.meld(ontvangen_op=NU - timedelta(minutes=5))
    rood = huis.meld(urgentie="code_rood", ontvangen_op=NU - timedelta(minutes=1))
    items = huis.wachtrij()["items"]
    assert [s["melding"]["melding_id"] for s in items] == [
        str(rood.melding_id), str(verlopen.melding_id), str(gewoon.melding_id)]
    assert items[0]["code_rood"] is True and items[0]["termijn"] == NU.date().isoformat()
    assert items[0]["alarm_op"] is None

    def alarm_om(uur: int, minuut: int = 0) -> list:  # type: ignore[type-arg]
        huis.klok.nu = datetime(2026, 11, 30, uur, minuut, tzinfo=ZONE)
        return handlers.code_rood_alarm({HUIS}, uow=huis.triage.uow, klok=huis.klok)

    assert alarm_om(16, 59) == []  # the day's work has not ended yet
    assert alarm_om(17, 0) == [rood.melding_id]
    assert alarm_om(17, 5) == []  # once
    [eerste] = huis.wachtrij()["items"][:1]
    assert eerste["alarm_op"] is not None
    pagina = huis.client.get(f"/werkbank/{HUIS}/screening", headers=kop(HUIS, "screener"))
    assert 'id="alarmen"' in pagina.text and rood.bron_referentie in pagina.text

    # decided: out of the queue and out of the alarms; a decided code rood raises none
    _besluit(huis, rood.melding_id)
    pagina = huis.client.get(f"/werkbank/{HUIS}/screening", headers=kop(HUIS, "screener"))
    assert 'id="alarmen"' not in pagina.text
    later = huis.meld(urgentie="code_rood", ontvangen_op=huis.klok.nu)
    _besluit(huis, later.melding_id)
    assert alarm_om(23, 0) == []


def test_the_screener_marks_code_rood_in_the_facts(huis):  # type: ignore[no-untyped-def]
    eerder = huis.meld(ontvangen_op=NU - timedelta(days=1))
    m = huis.meld()
    assert huis.alle_ids()[-1] == str(m.melding_id)
    handlers.vraag_advies(m.melding_id, Feiten(code_rood=True), "scr", uow=huis.triage.uow,
                          klok=huis.klok)
    items = huis.wachtrij()["items"]
    assert [s["melding"]["melding_id"] for s in items] == [str(m.melding_id),
                                                           str(eerder.melding_id)]
    assert items[0]["code_rood"] and items[0]["termijn"] == NU.date().isoformat()


def test_the_screeners_my_work_shows_today_first_this_week_and_the_meetings(huis):  # type: ignore[no-untyped-def]
    """Monday 30 November: code rood and the melding past its deadline are today's work (code
    rood first); one received just now is not; the triage meeting the screener chairs is
    coming up; a decided melding is no work."""
    verlopen = huis.meld(ontvangen_op=NU - timedelta(days=7))
    gewoon = huis.meld(ontvangen_op=NU - timedelta(minutes=5))
    rood = huis.meld(urgentie="code_rood", ontvangen_op=NU - timedelta(minutes=1))
    klaar = huis.meld(ontvangen_op=NU - timedelta(days=8))
    _besluit(huis, klaar.melding_id)
    scr = kop(HUIS, "screener", naam="Sanne Screener")
    teken_convenant(huis.triage.uow, HUIS, "Politie", "Veilig Thuis")  # only signed are invited
    r = huis.client.post(f"/api/v1/triage/{HUIS}/overleggen", headers=scr, json={
        "vorm": "triageoverleg", "datum": "2026-12-02", "voorzitter": "Sanne Screener",
        "partijen": ["Politie", "Veilig Thuis"], "agenda": [str(gewoon.melding_id)]})
    assert r.status_code == 201, r.text

    pagina = huis.client.get(f"/werkbank/{HUIS}/mijn-werk/screening", headers=scr)
    assert pagina.status_code == 200, pagina.text
    vandaag = pagina.text.split('id="vandaag"')[1].split("</ul>")[0]
    assert vandaag.index(str(rood.melding_id)) < vandaag.index(str(verlopen.melding_id))
    assert str(gewoon.melding_id) not in vandaag and str(klaar.melding_id) not in pagina.text
    overleggen = pagina.text.split('id="overleggen"')[1].split("</ul>")[0]
    assert "02-12-2026" in overleggen and "mijn overleg" in overleggen
    assert huis.client.get(f"/werkbank/{HUIS}/mijn-werk/screening",
                           headers=kop(HUIS, "analist")).status_code == 403
