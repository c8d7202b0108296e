from datetime import date
from uuid import uuid4

import pytest

from services.intake.domain.melding import Betrokkene, hoofdpersoon
from services.intake.domain.personen import (
    BekendPersoon,
    IndexDeel,
    PersoonStand,
    kies_persoon,
    normaliseer,
    sleutels,
)
from services.intake.domain.routering import RouteringsRegels, routeer
from shared.contracts.huizen import GEMEENTEN, HuisId
from shared.contracts.intake import RouteringGrond
from shared.contracts.vocabulaire import Bron, Rol, elfproef

REGELS = RouteringsRegels(standaard_huis=HuisId.NOORD_LIMBURG, inrichtingen={"PISIT": "GM1883"})
OP = date(2026, 1, 15)


def test_limburg_has_31_municipalities_in_five_houses():
    assert len(GEMEENTEN) == 31
    assert {g.huis for g in GEMEENTEN.values()} == set(HuisId)


@pytest.mark.parametrize("code", sorted(GEMEENTEN))
def test_every_municipality_routes_to_its_house(code):
    b = routeer(bron=Bron.PARTNER, gemeentecode=code, inrichting_code=None,
                laatst_bekende_woongemeente=None, regels=REGELS, op=OP)
    assert b.routering.huis == GEMEENTEN[code].huis
    assert b.gemeentecode == code


def test_dji_without_address_prefers_last_known_residence():
    b = routeer(bron=Bron.DJI, gemeentecode=None, inrichting_code="PISIT",
                laatst_bekende_woongemeente="GM0983", regels=REGELS, op=OP)
    assert (b.routering.huis, b.routering.grond) == (HuisId.NOORD_LIMBURG,
                                                     RouteringGrond.LAATST_BEKENDE_WOONGEMEENTE)


def test_dji_without_address_then_the_institution_then_the_default_house():
    b = routeer(bron=Bron.DJI, gemeentecode=None, inrichting_code="PISIT",
                laatst_bekende_woongemeente="GM0363", regels=REGELS, op=OP)
    assert (b.routering.huis, b.routering.grond) == (HuisId.WESTELIJKE_MIJNSTREEK,
                                                     RouteringGrond.INRICHTING)
    b = routeer(bron=Bron.DJI, gemeentecode=None, inrichting_code="PI-VUGHT",
                laatst_bekende_woongemeente=None, regels=REGELS, op=OP)
    assert (b.routering.huis, b.routering.grond, b.gemeentecode) == (
        HuisId.NOORD_LIMBURG, RouteringGrond.STANDAARD_ZONDER_GEMEENTE, "GM0983")
    assert "default house" in b.routering.toelichting


def test_eleven_test():
    assert elfproef("123456782") and elfproef("314159265")
    assert not elfproef("123456789") and not elfproef("000000000") and not elfproef("12345678")


def test_names_are_normalised_for_matching():
    assert normaliseer("Smidts-Çelik ") == normaliseer("smidts celik") == "smidtscelik"


@pytest.mark.parametrize(("naam", "letters"), [
    ("Иванов", "ivanov"), ("Yılmaz", "yilmaz"), ("Wałęsa", "walesa"), ("Strauß", "strauss"),
    ("Øberg", "oberg"), ("Παπαδόπουλος", "papadopoulos"), ("王", "wang"), ("محمد", "mhmd"),
    ("Her\u200bmans\u202e", "hermans"), ("ｈｅｒｍａｎｓ", "hermans"),
    ("\u2067Hermans\u2069", "hermans"),
])
def test_names_in_any_script_are_transliterated_and_invisible_characters_dropped(naam, letters):
    assert normaliseer(naam) == letters


def test_a_name_without_enough_letters_gives_no_name_key():
    assert sleutels(_b(voornamen="J"), b"geheim").naam is None
    assert sleutels(_b(voornamen=None), b"geheim").naam is None
    assert sleutels(_b(achternaam="🙂"), b"geheim").naam is None
    assert sleutels(_b(voornamen="Ka"), b"geheim").naam is not None
    # The first given name counts, wherever the spaces are.
    karel_jan = sleutels(_b(voornamen=" Karel\u00a0Jan"), b"geheim")
    assert karel_jan.naam == sleutels(_b(), b"geheim").naam


def _b(**kw):
    return Betrokkene(**({"rol": Rol.BETROKKENE, "achternaam": "Bemelmans", "voornamen": "Karel",
                          "geboortedatum": date(1978, 7, 21)} | kw))


def test_keys_hide_bsn_and_name_and_ignore_spelling_of_accents():
    k = sleutels(_b(bsn="314159265"), b"geheim")
    assert k.bsn and "314159265" not in k.bsn and len(k.bsn) == 64
    assert sleutels(_b(achternaam="Bémelmans"), b"geheim").naam == k.naam
    assert sleutels(_b(), b"ander-geheim").naam != k.naam
    assert sleutels(_b(geboortedatum=None), b"geheim").naam is None


def test_choosing_a_person():
    a, b = BekendPersoon(uuid4(), True), BekendPersoon(uuid4(), False)
    assert kies_persoon(op_bsn=a, op_naam=[b], heeft_bsn=True).persoon_id == a.persoon_id
    # Same name and birth date, no BSN on either side: the same person.
    assert kies_persoon(op_bsn=None, op_naam=[b], heeft_bsn=False).persoon_id == b.persoon_id
    # A BSN arrives for a person known by name only: linked, and the BSN is learnt.
    k = kies_persoon(op_bsn=None, op_naam=[b], heeft_bsn=True)
    assert k.persoon_id == b.persoon_id and k.bsn_toevoegen
    # Name match carrying another BSN: somebody else.
    assert kies_persoon(op_bsn=None, op_naam=[a], heeft_bsn=True).nieuw
    # Two candidates: do not guess.
    assert kies_persoon(op_bsn=None, op_naam=[a, b], heeft_bsn=False).nieuw


def test_main_person_is_the_suspect_before_the_victim():
    assert hoofdpersoon([_b(rol=Rol.SLACHTOFFER), _b(rol=Rol.KIND), _b(rol=Rol.VERDACHTE)]) == 2


def test_only_what_linking_changed_is_written_back_to_the_person_index():
    """A known person named again with the residence the index has costs no write; a new
    residence or a BSN learnt does."""
    karel = Betrokkene(rol=Rol.BETROKKENE, bsn="314159265", voornamen="Karel",
                       achternaam="Bemelmans", geboortedatum=date(1978, 7, 21))
    anna = Betrokkene(rol=Rol.SLACHTOFFER, voornamen="Anna", achternaam="Weyers",
                      geboortedatum=date(1990, 1, 1))
    geheim = b"g" * 32
    k, a = sleutels(karel, geheim), sleutels(anna, geheim)
    karel_id, anna_id = uuid4(), uuid4()
    deel = IndexDeel({karel_id: PersoonStand(k.bsn, "GM0935"), anna_id: PersoonStand(None, None)},
                     {a.naam: [anna_id]} if a.naam else {})

    assert deel.koppel(k, "GM0935") == karel_id
    assert deel.te_wijzigen() == []

    assert deel.koppel(k, "GM0917") == karel_id
    assert deel.koppel(a, None) == anna_id
    assert deel.te_wijzigen() == [karel_id]
    assert deel.woongemeente(karel_id) == "GM0917"
