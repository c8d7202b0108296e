"""The police and DJI formats as given, and every kind of bad input the feeds README lists."""

import copy

import pytest

from services.intake.domain.feeds import vertaal
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol, Urgentie
from shared.kit.fouten import OngeldigeInvoer
from shared.testing import als_event, voorbeeld, voorbeelden


@pytest.mark.parametrize("naam", sorted(voorbeelden()))
def test_every_example_translates_into_a_melding(naam):
    bericht = voorbeeld(naam)
    melding = vertaal(als_event(bericht))
    assert melding.bron_referentie == bericht["id"]
    assert melding.organisatie == bericht["source"]
    assert melding.betrokkenen


def test_police_domestic_violence_keeps_the_household_and_the_place():
    m = vertaal(als_event(voorbeeld("politie-huiselijk-geweld")))
    assert m.bron == Bron.POLITIE
    assert m.doelgroep == Doelgroep.HUISELIJK_GEWELD
    assert m.gemeentecode == "GM0935"
    assert [b.rol for b in m.betrokkenen] == [Rol.VERDACHTE, Rol.SLACHTOFFER, Rol.KIND, Rol.KIND]
    assert m.politie and m.politie.basisteam == "Maastricht-Centrum"


def test_police_prioritised_youth_is_also_geprioriteerden():
    m = vertaal(als_event(voorbeeld("politie-jeugd-gpp")))
    assert m.doelgroepen == [Doelgroep.JEUGD, Doelgroep.GEPRIORITEERDEN]


def test_minor_suspect_adds_jeugd_to_another_class():
    bericht = voorbeeld("politie-verward-gedrag")
    bericht["data"]["betrokkenen"][0].update(rol="verdachte", geboortedatum="2011-01-01")
    assert Doelgroep.JEUGD in vertaal(als_event(bericht)).doelgroepen


def test_dji_notice_is_ex_gedetineerden_and_minors_also_jeugd():
    bericht = voorbeeld("dji-instroom")
    m = vertaal(als_event(bericht))
    assert (m.bron, m.doelgroep, m.gemeentecode) == (Bron.DJI, Doelgroep.EX_GEDETINEERDEN,
                                                      "GM0957")
    assert m.detentie and m.detentie.verwachte_ontslagdatum.isoformat() == "2027-02-18"
    bericht["data"]["minderjarig"] = True
    assert vertaal(als_event(bericht)).doelgroepen == [Doelgroep.EX_GEDETINEERDEN,
                                                       Doelgroep.JEUGD]


def test_release_without_address_has_no_municipality_and_is_urgent():
    m = vertaal(als_event(voorbeeld("dji-uitstroom-zonder-adres")))
    assert m.gemeentecode is None
    assert m.urgentie == Urgentie.HOOG
    assert m.betrokkenen[0].bsn is None


def _kapot(naam, pad, waarde):
    bericht = copy.deepcopy(voorbeeld(naam))
    doel = bericht["data"]
    *kop, staart = pad
    for deel in kop:
        doel = doel[deel]
    if waarde is KWIJT:
        del doel[staart]
    else:
        doel[staart] = waarde
    return bericht


KWIJT = object()


@pytest.mark.parametrize(("naam", "pad", "waarde", "veld", "in_reden"), [
    ("politie-huiselijk-geweld", ["betrokkenen", 0, "bsn"], "123456789",
     "data.betrokkenen.0.bsn", "eleven-test"),
    ("politie-huiselijk-geweld", ["pleegplaats", "gemeentecode"], "GM0363",
     "data.pleegplaats.gemeentecode", "not a municipality in Limburg"),
    ("politie-huiselijk-geweld", ["registratie_tijdstip"], "21-11-2026 23:14",
     "data.registratie_tijdstip", "RFC 3339"),
    ("politie-huiselijk-geweld", ["betrokkenen", 2, "geboortedatum"], "02-06-2020",
     "data.betrokkenen.2.geboortedatum", "YYYY-MM-DD"),
    ("politie-huiselijk-geweld", ["maatschappelijke_klasse"], "woonoverlast",
     "data.maatschappelijke_klasse", "huiselijk_geweld"),
    ("politie-huiselijk-geweld", ["mutatie_id"], KWIJT, "data.mutatie_id", "required"),
    ("politie-huiselijk-geweld", ["betrokkenen"], [], "data.betrokkenen", "at least 1"),
    ("dji-instroom", ["soort"], "ontsnapping", "data.soort", "instroom"),
    ("dji-instroom", ["gemeente_van_inschrijving"], "GM0344",
     "data.gemeente_van_inschrijving", "not a municipality in Limburg"),
    ("dji-instroom", ["verwachte_ontslagdatum"], KWIJT, "data.verwachte_ontslagdatum",
     "required"),
    ("dji-instroom", ["persoon", "bsn"], "31415926", "data.persoon.bsn", "9 digits"),
    ("dji-instroom", ["minderjarig"], "nee", "data.minderjarig", "boolean"),
])
def test_bad_input_is_refused_naming_the_field(naam, pad, waarde, veld, in_reden):
    with pytest.raises(OngeldigeInvoer) as exc:
        vertaal(als_event(_kapot(naam, pad, waarde)))
    fouten = {f.veld: f.reden for f in exc.value.fouten}
    assert veld in fouten, fouten
    assert in_reden in fouten[veld]


def test_unknown_event_type_is_refused():
    bericht = voorbeeld("dji-instroom") | {"type": "nl.dji.detentie.v2"}
    with pytest.raises(OngeldigeInvoer) as exc:
        vertaal(als_event(bericht))
    assert exc.value.fouten[0].veld == "type"


def test_fields_from_a_newer_publisher_version_are_ignored():
    bericht = voorbeeld("dji-instroom")
    bericht["data"]["nieuw_veld"] = {"x": 1}
    assert vertaal(als_event(bericht)).bron == Bron.DJI


@pytest.mark.parametrize(("pad", "waarde", "veld", "regel"), [
    (["persoon", "geboortedatum"], "21-07-1978", "data.persoon.geboortedatum", "YYYY-MM-DD"),
    (["gemeente_van_inschrijving"], "GM0363", "data.gemeente_van_inschrijving",
     "not a municipality in Limburg"),
    (["tijdstip"], "20 november 2026", "data.tijdstip", "RFC 3339"),
    (["persoon", "bsn"], "123456789", "data.persoon.bsn", "eleven-test"),
])
def test_a_reason_names_the_field_and_the_rule_never_the_refused_value(pad, waarde, veld,
                                                                       regel):
    # Reasons are kept with a dead letter and shown where its content is not: a birth date or a
    # BSN in a reason would outlive the erasure of the record it came from.
    with pytest.raises(OngeldigeInvoer) as exc:
        vertaal(als_event(_kapot("dji-instroom", pad, waarde)))
    [fout] = exc.value.fouten
    assert fout.veld == veld
    assert regel in fout.reden
    assert waarde not in fout.reden and waarde not in str(exc.value)


# Issue 16: the police write a wijk name; intake keeps the CBS code where the table knows it.

@pytest.mark.parametrize("gemeentecode, wijk, code", [
    ("GM0935", "Noord-Oost", "WK093505"),     # the example's spelling of CBS's "Noordoost"
    ("GM0935", " centrum ", "WK093500"),
    ("GM0935", "WK093501", "WK093501"),       # a publisher that sends the code itself
    ("GM0935", "WK098301", None),             # a code of another municipality
    ("GM0983", "Centrum", None),              # Venlo's wijken are not in the table
    ("GM0935", "Wyck", None),                 # a neighbourhood (buurt), not a wijk
    ("GM0935", None, None),
])
def test_a_police_wijk_becomes_its_cbs_code_or_stays_empty(gemeentecode, wijk, code):
    bericht = copy.deepcopy(voorbeeld("politie-huiselijk-geweld"))
    bericht["data"]["pleegplaats"] = {"gemeentecode": gemeentecode, "wijk": wijk}
    m = vertaal(als_event(bericht))
    assert m.wijk == code
    assert m.politie is not None and m.politie.wijk == wijk  # the police's own words kept


def test_the_wijk_table_refuses_a_code_that_is_not_cbs_and_a_name_listed_twice(tmp_path):
    from services.intake.domain.wijken import lees_wijken
    pad = tmp_path / "wijken.toml"
    pad.write_text('[[wijk]]\ncode = "WK93505"\nnaam = "Noordoost"\n')
    with pytest.raises(ValueError, match="WK93505"):
        lees_wijken(pad)
    pad.write_text('[[wijk]]\ncode = "WK093505"\nnaam = "Noordoost"\n'
                   '[[wijk]]\ncode = "WK093506"\nnaam = "Noord-Oost"\n')
    with pytest.raises(ValueError, match="Noord-Oost"):
        lees_wijken(pad)
