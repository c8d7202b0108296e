"""The screening queue's pure parts: reading the filters, the cursor, code rood's deadline,
order and alarm day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from services.triage.domain.termijn import screeningtermijn, triagetermijn
from services.triage.domain.wachtrij import (
    MAXIMUM_LIMIT,
    STANDAARD_LIMIT,
    Filter,
    OngeldigFilter,
    Sleutel,
    Weergave,
    alarmdag,
    cursor_van,
    lees_filter,
    lees_limit,
    lees_positie,
    prioriteit,
    sleutel_uit,
)
from shared.contracts.vocabulaire import Bron, Doelgroep, Urgentie
from shared.tijd import dag_van


def test_no_parameters_is_the_default_view():
    assert lees_filter({}) == Filter(status=Weergave.IN_SCREENING)


def test_every_filter_is_read():
    f = lees_filter({"status": "besloten", "termijn_voor": "2026-12-01",
                     "termijn_na": "2026-11-01", "doelgroep": "jeugd", "gemeente": "gm0935",
                     "wijk": "wk093501", "bron": "politie", "referentie": " M-1 ",
                     "voornamen": "Jan Pieter", "achternaam": "de Vries",
                     "geboortedatum": "1980-02-03"})
    assert (f.status, f.termijn_voor, f.termijn_na, f.doelgroep, f.gemeente, f.wijk, f.bron,
            f.referentie) == (Weergave.BESLOTEN, date(2026, 12, 1), date(2026, 11, 1),
                              Doelgroep.JEUGD, "GM0935", "WK093501", Bron.POLITIE, "M-1")
    assert f.naam is not None and f.naam.geboortedatum == date(1980, 2, 3)
    # and back to the parameters of the next page's link, the same filter again
    assert lees_filter(f.als_parameters()) == f


@pytest.mark.parametrize(("params", "veld"), [
    ({"status": "open"}, "status"),
    ({"termijn_voor": "1-12-2026"}, "termijn_voor"),
    ({"termijn_na": "morgen"}, "termijn_na"),
    ({"doelgroep": "huiselijk geweld"}, "doelgroep"),
    ({"gemeente": "GM9999"}, "gemeente"),
    ({"gemeente": "Maastricht"}, "gemeente"),
    ({"wijk": "WK12"}, "wijk"),
    ({"bron": "buurman"}, "bron"),
    ({"referentie": "x" * 201}, "referentie"),
    ({"achternaam": "Jansen", "geboortedatum": "1980-01-01"}, "voornamen"),
    # a missing part is named as Haal Centraal names it; a wrong one as the caller sent it
    ({"voornamen": "Jan", "geboortedatum": "1980-01-01"}, "geslachtsnaam"),
    ({"voornamen": "Jan", "geslachtsnaam": "J", "geboortedatum": "1980-01-01"},
     "geslachtsnaam"),
    ({"voornaam": "J.", "achternaam": "Jansen", "geboortedatum": "1980-01-01"}, "voornaam"),
    ({"voornamen": "Jan", "achternaam": "Jansen"}, "geboortedatum"),
    ({"voornamen": "J.", "achternaam": "Jansen", "geboortedatum": "1980-01-01"}, "voornamen"),
    ({"voornamen": "Jan", "achternaam": "J", "geboortedatum": "1980-01-01"}, "achternaam"),
    ({"voornamen": "Jan", "achternaam": "Jansen", "geboortedatum": "01-01-1980"},
     "geboortedatum"),
])
def test_a_bad_filter_is_refused_naming_its_parameter(params, veld):  # type: ignore[no-untyped-def]
    with pytest.raises(OngeldigFilter) as e:
        lees_filter(params)
    assert e.value.veld == veld and e.value.plek == "query" and e.value.status == 422


def test_limit_has_a_default_and_a_maximum():
    assert lees_limit(None) == lees_limit("") == STANDAARD_LIMIT
    assert lees_limit(str(MAXIMUM_LIMIT)) == MAXIMUM_LIMIT
    for fout in ("0", str(MAXIMUM_LIMIT + 1), "tien", "-5"):
        with pytest.raises(OngeldigFilter) as e:
            lees_limit(fout)
        assert e.value.veld == "limit"


def test_a_cursor_names_the_place_it_was_made_for():
    s = Sleutel(0, date(2026, 11, 30), datetime(2026, 11, 30, 9, 15, 3, 123, tzinfo=UTC),
                uuid4())
    assert sleutel_uit(cursor_van(s)) == s
    assert lees_positie({"cursor": cursor_van(s)}).na == s
    assert lees_positie({"voor": cursor_van(s)}).voor == s


@pytest.mark.parametrize("cursor", ["abc", "W1swXQ", cursor_van(
    Sleutel(0, date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC), uuid4()))[:-3] + "!!!"])
def test_a_cursor_not_made_here_is_refused(cursor):  # type: ignore[no-untyped-def]
    with pytest.raises(OngeldigFilter) as e:
        lees_positie({"cursor": cursor})
    assert e.value.veld == "cursor"


def test_next_and_previous_together_is_refused():
    c = cursor_van(Sleutel(1, date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC), uuid4()))
    with pytest.raises(OngeldigFilter):
        lees_positie({"cursor": c, "voor": c})


def test_code_rood_is_due_the_dutch_day_it_is_received():
    # 23:30 UTC on 30 November is already 1 December in the Netherlands
    ontvangen = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert screeningtermijn(dag_van(ontvangen), code_rood=True) == date(2026, 12, 1)
    assert screeningtermijn(dag_van(ontvangen)) == triagetermijn(date(2026, 12, 1))


def test_code_rood_comes_first_then_the_earliest_deadline():
    t = datetime(2026, 11, 30, 9, tzinfo=UTC)
    rood_laat = Sleutel(prioriteit(Urgentie.CODE_ROOD), date(2026, 12, 2), t, uuid4())
    gewoon_vroeg = Sleutel(prioriteit(Urgentie.HOOG), date(2026, 11, 30), t, uuid4())
    gewoon_later = Sleutel(prioriteit(Urgentie.NORMAAL), date(2026, 12, 1), t, uuid4())
    assert sorted([gewoon_later, gewoon_vroeg, rood_laat]) == [rood_laat, gewoon_vroeg,
                                                               gewoon_later]


def test_the_alarm_day_is_the_day_whose_work_has_ended_in_dutch_time():
    # 16:30 UTC in winter is 17:30 in the Netherlands: today's work has ended
    assert alarmdag(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == date(2026, 11, 30)
    # 15:30 UTC is 16:30: only yesterday's deadlines have passed
    assert alarmdag(datetime(2026, 11, 30, 15, 30, tzinfo=UTC)) == date(2026, 11, 29)
    # in summer 15:30 UTC is 17:30 already
    assert alarmdag(datetime(2026, 7, 1, 15, 30, tzinfo=UTC)) == date(2026, 7, 1)
