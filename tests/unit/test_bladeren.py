"""Keyset pagination and the lists' filters, without a database: a cursor goes back and forth
intact and only to its own list; every filter reads what a GET form sends and refuses, naming
the parameter, what it cannot mean."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from services.nazorg.domain.lijst import dossierfilter
from services.regie.domain.lijsten import Persoonzoek, agendafilter, casusfilter
from shared.contracts.regie import Casusstatus
from shared.kit.bladeren import (
    MAXIMUM_LIMIT,
    STANDAARD_LIMIT,
    Cursor,
    OngeldigeParameter,
    codeer,
    controleer_limit,
    decodeer,
)
from shared.kit.lijstfilters import referentie
from shared.pseudoniem import naamsleutel

SOORTEN = (int, bool, datetime, UUID)


def test_a_cursor_comes_back_as_it_went_out() -> None:
    sleutel = (2, True, datetime(2026, 3, 29, 1, 30, tzinfo=UTC), uuid4())
    for terug in (False, True):
        tekst = codeer(Cursor("casussen", sleutel, terug))
        assert decodeer(tekst, "casussen", SOORTEN) == Cursor("casussen", sleutel, terug)
        assert "=" not in tekst and "/" not in tekst  # fits in an address as it is


@pytest.mark.parametrize("tekst", [
    "", "niet-base64!", codeer(Cursor("huisverboden", (1, True, datetime.now(UTC), uuid4()))),
    codeer(Cursor("casussen", (1, True))), codeer(Cursor("casussen", ("x", True, "y", "z"))),
    codeer(Cursor("casussen", (True, True, datetime.now(UTC), uuid4()))),
])
def test_a_cursor_of_another_list_or_garbled_is_refused_as_cursor(tekst: str) -> None:
    with pytest.raises(OngeldigeParameter) as fout:
        decodeer(tekst, "casussen", SOORTEN)
    assert fout.value.veld == "cursor" and fout.value.plek == "query"


def test_the_page_size_has_a_default_and_a_maximum() -> None:
    assert controleer_limit(None) == STANDAARD_LIMIT
    assert controleer_limit(MAXIMUM_LIMIT) == MAXIMUM_LIMIT
    for fout in (0, MAXIMUM_LIMIT + 1):
        with pytest.raises(OngeldigeParameter, match="limit"):
            controleer_limit(fout)


def test_empty_form_fields_are_no_filter() -> None:
    leeg = {k: "" for k in ("status", "traject", "doelgroep", "gemeente", "wijk",
                            "procesregisseur", "deadline_tot", "referentie", "voornaam",
                            "achternaam", "geboortedatum")}
    assert casusfilter(leeg) == casusfilter({})


def test_the_case_filters_read_what_the_form_sends() -> None:
    f = casusfilter({"status": "in_uitvoering", "gemeente": "GM0917", "wijk": "WK091701",
                     "deadline_tot": "2026-11-30", "procesregisseur": " Pim ",
                     "voornaam": "Sjef", "achternaam": "Smeets", "geboortedatum": "1980-02-29"})
    assert f.status is Casusstatus.IN_UITVOERING and f.procesregisseur == "Pim"
    assert f.deadline_tot == date(2026, 11, 30) and f.wijk == "WK091701"
    assert f.persoon == Persoonzoek("Sjef", "Smeets", date(1980, 2, 29))


@pytest.mark.parametrize(("params", "veld"), [
    ({"status": "klaar"}, "status"), ({"traject": "middel"}, "traject"),
    ({"doelgroep": "iedereen"}, "doelgroep"), ({"gemeente": "GM0000"}, "gemeente"),
    ({"wijk": "WK12"}, "wijk"), ({"deadline_tot": "30-11-2026"}, "deadline_tot"),
    ({"referentie": "ab"}, "referentie"), ({"referentie": "ghij"}, "referentie"),
    ({"procesregisseur": "x" * 201}, "procesregisseur"),
    ({"achternaam": "Smeets", "geboortedatum": "1980-02-29"}, "voornamen"),
    ({"voornaam": "Sjef", "achternaam": "Smeets"}, "geboortedatum"),
])
def test_a_wrong_case_filter_names_its_field(params: dict[str, str], veld: str) -> None:
    with pytest.raises(OngeldigeParameter) as fout:
        casusfilter(params)
    assert fout.value.veld == veld


def test_every_list_searches_a_person_by_haal_centraal_names_and_the_old_ones_alike() -> None:
    """``voornamen``, ``geslachtsnaam``, ``geboortedatum`` (Haal Centraal BRP) on the screening
    queue, the cases, the restraining orders and the nazorg dossiers; ``voornaam`` and
    ``achternaam`` still mean the same."""
    from services.regie.domain.lijsten import huisverbodfilter
    from services.triage.domain.wachtrij import lees_filter

    nieuw = {"voornamen": "Sjef Maria", "geslachtsnaam": "Smeets", "geboortedatum": "1980-02-29"}
    oud = {"voornaam": "Sjef Maria", "achternaam": "Smeets", "geboortedatum": "1980-02-29"}
    verwacht = Persoonzoek("Sjef Maria", "Smeets", date(1980, 2, 29))
    for params in (nieuw, oud):
        assert casusfilter(params).persoon == verwacht
        assert huisverbodfilter(params).persoon == verwacht
        assert dossierfilter(params).persoon == ("Sjef Maria", "Smeets", date(1980, 2, 29))
        naam = lees_filter(params).naam
        assert naam is not None and (naam.voornamen, naam.achternaam) == ("Sjef Maria", "Smeets")
    # a part left out is named as Haal Centraal names it
    for lijst in (casusfilter, huisverbodfilter, dossierfilter):
        with pytest.raises(OngeldigeParameter) as fout:
            lijst({"voornamen": "Sjef", "geboortedatum": "1980-02-29"})
        assert fout.value.veld == "geslachtsnaam"


def test_a_reference_is_the_range_of_ids_it_starts() -> None:
    casus = UUID("3f2a9c1b-0000-4000-8000-0000000000aa")
    laag, hoog = referentie({"referentie": "3F2A-9C1B"}) or (None, None)
    assert laag is not None and hoog is not None and laag <= casus <= hoog
    assert referentie({"referentie": str(casus)}) == (casus, casus)


def test_agenda_and_dossier_filters() -> None:
    assert agendafilter({"soort": "overleg", "vanaf": "2026-11-01"}).soort == "overleg"
    with pytest.raises(OngeldigeParameter, match="tot"):
        agendafilter({"vanaf": "2026-11-02", "tot": "2026-11-01"})
    f = dossierfilter({"voorwaarden_open": "ja", "zonder_gemeente": "false",
                       "ontslag_tot": "2026-12-01"})
    assert (f.voorwaarden_open, f.zonder_gemeente) == (True, False)
    with pytest.raises(OngeldigeParameter, match="voorwaarden_open"):
        dossierfilter({"voorwaarden_open": "misschien"})


def test_the_name_key_is_intakes_rule_in_any_script_and_spelling() -> None:
    from services.intake.domain.personen import sleutels_van

    geheim = b"s"
    sleutel = naamsleutel("Sjef Maria", "Smeets-Çelik", date(1980, 2, 29), geheim)
    assert sleutel == naamsleutel("sjef", "smeets celik", date(1980, 2, 29), geheim)
    assert sleutel == sleutels_van(None, "Sjef", "Smeets-Çelik", date(1980, 2, 29), geheim).naam
    assert sleutel != naamsleutel("Sjef", "Smeets", date(1980, 2, 29), geheim)
    assert naamsleutel("S", "Smeets", date(1980, 2, 29), geheim) is None
