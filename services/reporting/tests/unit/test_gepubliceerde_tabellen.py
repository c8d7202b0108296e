"""Every table of the three annual reports in ../shared/seeds, reproduced from generated events:
the known counts in the published shape."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.reporting.domain import periode
from services.reporting.tests.jaren import (
    casus,
    casussen,
    consultaties,
    huisverboden,
    kolom,
    meldingen,
    moment,
    sectie,
)
from services.reporting.tests.maak import besluit
from shared.contracts.huisverbod import (
    Ingetrokken,
    Opgelegd,
    RihgIngevuld,
    SamenloopStrafrecht,
    Verlengd,
)
from shared.contracts.huizen import HuisId

MH, ML, WM = HuisId.MAASTRICHT_HEUVELLAND, HuisId.MIDDEN_LIMBURG, HuisId.WESTELIJKE_MIJNSTREEK
MAASTRICHT, EIJSDEN, MEERSSEN, VALKENBURG = "GM0935", "GM1903", "GM0938", "GM0994"
SITTARD, STEIN, BEEK, SCHINNEN = "GM1883", "GM0971", "GM0888", "GM0962"
STADSDELEN = {"WK093501": 52, "WK093502": 27, "WK093503": 22, "WK093504": 86}
"""Maastricht's four stadsdelen as wijken (Noord-West, Noord-Oost, Zuid-Oost, Zuid-West)."""
J2011, J2017, J2018 = periode.jaar(2011), periode.jaar(2017), periode.jaar(2018)

TABEL2 = {
    "jeugd": {MAASTRICHT: 1557, EIJSDEN: 263, MEERSSEN: 158, VALKENBURG: 123},
    "huiselijk_geweld": {MAASTRICHT: 472, EIJSDEN: 34, MEERSSEN: 24, VALKENBURG: 41},
    "veelplegers": {MAASTRICHT: 128, EIJSDEN: 7, MEERSSEN: 3, VALKENBURG: 25},
    "geprioriteerden": {MAASTRICHT: 37, EIJSDEN: 1, MEERSSEN: 1, VALKENBURG: 1},
    "ex_gedetineerden": {MAASTRICHT: 280},
    "multiproblematiek": {MAASTRICHT: 187},
    "overig": {MAASTRICHT: 20},  # Centrum Jeugd en Gezin
}


def _maastricht_2011():  # type: ignore[no-untyped-def]
    """Table 2's meldingen: DJI for the ex-prisoners, partners for multi-problem (by stadsdeel),
    the youth centre and 12 youth meldingen, the police for the rest (table 1)."""
    events = []
    for doelgroep, per_gemeente in TABEL2.items():
        for gemeente, n in per_gemeente.items():
            if doelgroep == "multiproblematiek":
                for wijk, w in STADSDELEN.items():
                    events += meldingen(w, jaar=2011, huis=MH, bron="partner",
                                        doelgroep=doelgroep, gemeente=gemeente, wijk=wijk)
                continue
            bron = {"ex_gedetineerden": "dji", "overig": "partner"}.get(doelgroep, "politie")
            partner = 12 if (doelgroep, gemeente) == ("jeugd", MAASTRICHT) else 0
            events += meldingen(n - partner, jaar=2011, huis=MH, bron=bron,
                                doelgroep=doelgroep, gemeente=gemeente)
            events += meldingen(partner, jaar=2011, huis=MH, bron="partner",
                                doelgroep=doelgroep, gemeente=gemeente)
    # The year before and after count nothing in 2011.
    return events + meldingen(3, jaar=2010, huis=MH, gemeente=MAASTRICHT) + meldingen(
        2, jaar=2012, huis=MH, gemeente=MAASTRICHT)


def test_2011_tabel_1_aanmeldingen_naar_herkomst() -> None:
    s = sectie("mh_tabel1_herkomst", _maastricht_2011(), MH, J2011)
    t = s.tabellen["2011"]
    assert {k: v["aantal"] for k, v in t.items() if v["aantal"]} == {
        "politie": 2863, "dji": 280, "partner": 219}
    assert (t["politie"]["percentage"], t["dji"]["percentage"], t["partner"]["percentage"]) == (
        85.2, 8.3, 6.5)
    assert s.soort == "stroom"


def test_2011_tabel_2_doelgroep_per_gemeente() -> None:
    s = sectie("mh_tabel2_doelgroep_gemeente", _maastricht_2011(), MH, J2011)
    assert s.tabellen["2011"] == {d: dict(sorted(g.items())) for d, g in sorted(TABEL2.items())}
    assert s.kolommen[:4] == [MAASTRICHT, EIJSDEN, MEERSSEN, VALKENBURG]
    assert sum(sum(r.values()) for r in s.tabellen["2011"].values()) == 3362  # type: ignore[misc]


def test_2011_tabel_3_multiproblematiek_per_stadsdeel() -> None:
    s = sectie("mh_tabel3_multiproblematiek_wijk", _maastricht_2011(), MH, J2011)
    assert kolom(s.tabellen["2011"], "aantal_meldingen") == STADSDELEN


TABEL4 = {
    "terugverwijzen": {"jeugd": 1138, "veelplegers": 163, "huiselijk_geweld": 306,
                       "ex_gedetineerden": 30, "multiproblematiek": 53},
    "zorgcasusoverleg": {"jeugd": 96, "huiselijk_geweld": 39, "ex_gedetineerden": 66},
    "justitieel_casusoverleg_jeugd": {"jeugd": 241},
    "justitieel_casusoverleg_huiselijk_geweld": {"huiselijk_geweld": 137},
    "justitieel_casusoverleg_veelplegers": {"jeugd": 9, "veelplegers": 83},
    "integrale_aanpak": {"jeugd": 25, "veelplegers": 28, "huiselijk_geweld": 11,
                         "multiproblematiek": 162},
}


def test_2011_tabel_4_vervolgacties() -> None:
    route = {"terugverwijzen": "terugverwijzen", "integrale_aanpak": "persoonsgerichte_aanpak"}
    events = []
    for actie, per_doelgroep in TABEL4.items():
        for doelgroep, n in per_doelgroep.items():
            r = route.get(actie, "casusoverleg")
            events += [besluit(huis=MH, route=r, soort=None if r == "terugverwijzen" else actie,
                               doelgroep=doelgroep, gemeente=MAASTRICHT,
                               ontvangen_op="2011-05-01T10:00:00+02:00") for _ in range(n)]
    events.append(besluit(huis=MH, doelgroep="jeugd", gemeente=MAASTRICHT,
                          ontvangen_op="2010-12-31T10:00:00+01:00"))
    t = sectie("mh_tabel4_vervolgacties", events, MH, J2011).tabellen["2011"]
    totaal = sum(sum(g.values()) for g in TABEL4.values())
    for actie, per_doelgroep in TABEL4.items():
        assert {k: v for k, v in t[actie].items() if k not in ("totaal", "percentage")} == \
            per_doelgroep
        assert t[actie]["totaal"] == sum(per_doelgroep.values())
    assert t["zorgcasusoverleg"]["percentage"] == round(100 * 201 / totaal, 1)
    assert t["integrale_aanpak"]["totaal"] == 226


def test_2011_tabel_5_vervolg_multiproblematiek_per_stadsdeel() -> None:
    tabel5 = {"WK093501": (21, 38), "WK093502": (19, 21), "WK093503": (16, 14),
              "WK093504": (48, 18)}
    events = []
    for wijk, (pga, partners) in tabel5.items():
        for route, n in (("persoonsgerichte_aanpak", pga), ("terugverwijzen", partners)):
            for _ in range(n):
                m = meldingen(1, jaar=2011, huis=MH, doelgroep="multiproblematiek",
                              gemeente=MAASTRICHT, wijk=wijk)[0]
                events += [m, besluit(huis=MH, melding_id=m.data["melding_id"], route=route,
                                      soort="integrale_aanpak" if route != "terugverwijzen"
                                      else None, doelgroep="multiproblematiek",
                                      gemeente=MAASTRICHT, ontvangen_op=m.data["ontvangen_op"])]
    t = sectie("mh_tabel5_multiproblematiek_vervolg_wijk", events, MH, J2011).tabellen["2011"]
    assert {w: (r["doorgestroomd_naar_pga"], r["afgehandeld_door_partners"])
            for w, r in t.items()} == tabel5


def _clienten(traject: str, tabel: dict[str, dict[str, int]]):  # type: ignore[no-untyped-def]
    events = []
    for doelgroep, per_gemeente in tabel.items():
        for gemeente, n in per_gemeente.items():
            events += casussen(n, jaar=2011, huis=MH, traject=traject, doelgroep=doelgroep,
                               gemeente=gemeente, soort="integrale_aanpak")
    return events


def test_2011_tabel_6_clienten_kort_traject() -> None:
    tabel6 = {"jeugd": {MAASTRICHT: 264, EIJSDEN: 37, MEERSSEN: 26, VALKENBURG: 10},
              "huiselijk_geweld": {MAASTRICHT: 114, EIJSDEN: 8, MEERSSEN: 4, VALKENBURG: 11},
              "ex_gedetineerden": {MAASTRICHT: 66}, "multiproblematiek": {MAASTRICHT: 53}}
    events = _clienten("kort", tabel6)
    # A client with a second short trajectory in the year is one client; a case that ended in
    # 2010 is not of 2011.
    tweede = uuid4()
    events += casus(huis=MH, start=date(2011, 2, 1), traject="kort", doelgroep="jeugd",
                    gemeente=MAASTRICHT, persoon=tweede)
    events += casus(huis=MH, start=date(2011, 9, 1), traject="kort", doelgroep="jeugd",
                    gemeente=MAASTRICHT, persoon=tweede)
    events += casus(huis=MH, start=date(2010, 2, 1), einde=date(2010, 6, 1), traject="kort",
                    doelgroep="jeugd", gemeente=MAASTRICHT)
    tabel6["jeugd"][MAASTRICHT] += 1
    s = sectie("mh_tabel6_clienten_kort", events, MH, J2011)
    assert s.tabellen["2011"] == {d: dict(sorted(g.items())) for d, g in sorted(tabel6.items())}


def test_2011_tabel_7_clienten_plan_van_aanpak() -> None:
    tabel7 = {"veelplegers": {MAASTRICHT: 101, EIJSDEN: 4, MEERSSEN: 4, VALKENBURG: 2},
              "jeugd": {MAASTRICHT: 20, EIJSDEN: 2, MEERSSEN: 3},
              "huiselijk_geweld": {MAASTRICHT: 33, EIJSDEN: 2, MEERSSEN: 1, VALKENBURG: 4},
              "multiproblematiek": {MAASTRICHT: 161}}
    events = _clienten("lang", tabel7)
    # Footnote: an ex-prisoner with an integral plan counts in the group they belong to.
    ex = uuid4()
    events += casus(huis=MH, start=date(2011, 3, 1), traject="lang", doelgroep="ex_gedetineerden",
                    gemeente=MAASTRICHT, persoon=ex)
    events += casus(huis=MH, start=date(2011, 4, 1), traject="lang",
                    doelgroep="multiproblematiek", gemeente=MAASTRICHT, persoon=ex)
    tabel7["multiproblematiek"][MAASTRICHT] += 1
    s = sectie("mh_tabel7_clienten_plan", events, MH, J2011)
    assert s.tabellen["2011"] == {d: dict(sorted(g.items())) for d, g in sorted(tabel7.items())}
    assert "ex_gedetineerden" not in s.tabellen["2011"]


def test_2011_tabel_8_lopende_plannen_per_1_januari_2012() -> None:
    tabel8 = {"WK093501": 42, "WK093502": 38, "WK093503": 34, "WK093504": 48}
    events = []
    for wijk, n in tabel8.items():
        for i in range(n):
            events += casus(huis=MH, start=date(2010 + i % 2, 3, 1), gemeente=MAASTRICHT,
                            wijk=wijk, einde=date(2012, 2, 1) if i % 3 == 0 else None)
    # Ended before 1-1-2012, started after it, or a short trajectory: not running plans.
    events += casus(huis=MH, start=date(2011, 1, 5), einde=date(2011, 12, 31),
                    gemeente=MAASTRICHT, wijk="WK093501")
    events += casus(huis=MH, start=date(2012, 1, 2), gemeente=MAASTRICHT, wijk="WK093501")
    events += casus(huis=MH, start=date(2011, 1, 5), traject="kort", gemeente=MAASTRICHT,
                    wijk="WK093501")
    s = sectie("mh_tabel8_lopende_plannen_wijk", events, MH, J2011)
    assert s.soort == "stand" and s.peildata == {"2011": "2012-01-01"}
    assert kolom(s.tabellen["2011"], "aantal_plannen") == tabel8


def test_2011_tabel_9_wet_tijdelijk_huisverbod() -> None:
    tabel9 = {"rihg_ingevuld": (RihgIngevuld, [40, 4, 1, 5]),
              "opgelegd": (Opgelegd, [33, 2, 1, 4]),
              "ingetrokken": (Ingetrokken, [2, 0, 0, 1]),
              "verlengd": (Verlengd, [11, 0, 0, 1]),
              "samenloop_strafrecht": (SamenloopStrafrecht, [29, 2, 1, 4])}
    gemeenten = [MAASTRICHT, EIJSDEN, MEERSSEN, VALKENBURG]
    events = [e for model, aantallen in tabel9.values()
              for g, n in zip(gemeenten, aantallen, strict=True)
              for e in huisverboden(n, model, jaar=2011, huis=MH, gemeente=g)]
    t = sectie("mh_tabel9_huisverboden", events, MH, J2011).tabellen["2011"]
    assert {r: [t[r].get(g, 0) for g in gemeenten] for r in t} == {
        r: a for r, (_, a) in tabel9.items()}


def test_2017_in_en_uitstroom_detentie_1_januari_tot_en_met_31_oktober() -> None:
    detentie = {"GM0946": (3, 3), "GM0957": (105, 92), "GM0988": (37, 34), "GM1640": (17, 13),
                "GM1641": (7, 8), "GM1669": (7, 6), "GM1711": (19, 21)}
    events = []
    for g, (instroom, uitstroom) in detentie.items():
        for soort, n in (("instroom", instroom), ("uitstroom", uitstroom)):
            events += meldingen(n, jaar=2017, huis=ML, tot=date(2017, 11, 1), bron="dji",
                                doelgroep="ex_gedetineerden", gemeente=g, detentie=soort)
    events += meldingen(4, jaar=2017, huis=ML, van=date(2017, 11, 1), bron="dji",
                        doelgroep="ex_gedetineerden", gemeente="GM0957", detentie="instroom")
    p = periode.lees("2017-01-01/2017-11-01")
    t = sectie("ml_detentie", events, ML, p).tabellen[p.label]
    assert {g: (r["instroom"], r["uitstroom"]) for g, r in t.items()} == detentie
    assert sum(r["instroom"] for r in t.values()) == 195  # type: ignore[misc]
    assert sum(r["uitstroom"] for r in t.values()) == 177  # type: ignore[misc]


def test_2017_consultfunctie_twee_maanden_omgerekend_naar_een_jaar() -> None:
    """"Gedurende twee maanden de telefoongesprekken en mails geregistreerd (...) Omgerekend van
    die 2 maanden naar 1 jaar zijn dit 1044 telefoontjes en 1164 mails": 174 and 194."""
    maart, mei = date(2017, 3, 1), date(2017, 5, 1)
    events = consultaties(58, "telefoon", jaar=2017, huis=ML, aantal=3, van=maart, tot=mei)
    events += consultaties(97, "mail", jaar=2017, huis=ML, aantal=2, van=maart, tot=mei)
    events += consultaties(4, "mail", jaar=2017, huis=ML, van=date(2017, 2, 1), tot=maart)
    events += consultaties(5, "telefoon", jaar=2017, huis=ML, van=mei, tot=date(2017, 6, 1))
    p = periode.lees("2017-03-01/2017-05-01")
    t = sectie("ml_consultfunctie", events, ML, p).tabellen[p.label]
    assert t == {"telefoontjes": {"aantal": 174, "omgerekend_naar_jaar": 1044},
                 "mails": {"aantal": 194, "omgerekend_naar_jaar": 1164}}


def test_2017_huisverbod_en_intensief_casemanagement_over_de_jaren() -> None:
    jaren = {2014: (42, 0), 2015: (48, 22), 2016: (29, 15), 2017: (25, 6)}
    events = []
    for jaar, (hv, icm) in jaren.items():
        events += huisverboden(hv, Opgelegd, jaar=jaar, huis=ML, gemeente="GM0957")
        events += huisverboden(3, RihgIngevuld, jaar=jaar, huis=ML, gemeente="GM0957")
        events += casussen(icm, jaar=jaar, huis=ML, soort="plan_na_huisverbod",
                           doelgroep="huiselijk_geweld", gemeente="GM0957")
    s = sectie("ml_huisverbod_icm", events, ML, *(periode.jaar(j) for j in jaren))
    assert {p: (t["aantal"]["tijdelijk_huisverbod"], t["aantal"]["intensief_casemanagement"])
            for p, t in s.tabellen.items()} == {str(j): a for j, a in jaren.items()}


def test_2017_werkproces_in_cijfers_top_x_en_selectie() -> None:
    events = []
    events += [besluit(huis=ML, route="persoonsgerichte_aanpak", soort="top_x",
                       ontvangen_op="2017-03-01T10:00:00+01:00") for _ in range(301)]
    events += [besluit(huis=ML, ontvangen_op="2017-04-01T10:00:00+02:00")
               for _ in range(2318 - 301)]
    events += casussen(74, jaar=2017, huis=ML, soort="top_x", gemeente="GM0957")
    # Of the 304 other cases, 143 run longer than six months and were discussed 3 to 10 times.
    for i in range(304):
        lang = i < 143
        events += casus(huis=ML, start=date(2017, 1, 10) if lang else date(2017, 10, 1),
                        traject="kort", soort="netwerkoverleg", doelgroep="jeugd",
                        gemeente="GM0957",
                        overleggen=[date(2017, m, 15) for m in range(2, 6)] if lang else [])
    t = sectie("ml_werkproces", events, ML, J2017).tabellen["2017"]
    assert kolom(t, "waarde") == {
        "unieke_casussen_in_screening": 2318, "top_x": 74, "overige_casussen_met_aanpak": 304,
        "selectie_percentage_aanpak": 13.0,
        "langer_dan_6_maanden_en_3_tot_10_keer_besproken_percentage": 47.0}


def test_2017_screening_en_triage() -> None:
    events = [besluit(huis=ML, ontvangen_op="2017-02-01T10:00:00+01:00") for _ in range(51)]
    events += [besluit(huis=ML, route="casusoverleg", soort="zorgcasusoverleg",
                       ontvangen_op="2017-02-01T10:00:00+01:00") for _ in range(49)]
    t = sectie("ml_screening_triage", events, ML, J2017).tabellen["2017"]
    assert t == {"in_screening": {"aantal": 100, "percentage": 100.0},
                 "eenmalig_besproken": {"aantal": 51, "percentage": 51.0},
                 "getriageerd_naar_aanpak": {"aantal": 49, "percentage": 49.0}}


def test_2017_leefgebieden_vier_of_meer_en_zeven_of_acht() -> None:
    domeinen = ["huisvesting", "financien_en_schulden", "inkomen_en_dagbesteding", "onderwijs",
                "gezondheid_en_ggz", "verslaving", "gezin_en_opvoeding", "sociaal_netwerk"]
    events = []
    for n, aantal in ((2, 2), (5, 23), (7, 40), (8, 35)):
        for _ in range(aantal):
            e = besluit(huis=ML, ontvangen_op="2017-06-01T10:00:00+02:00")
            e.data["feiten"]["leefgebieden"] = domeinen[:n]
            events.append(e)
    t = sectie("ml_leefgebieden", events, ML, J2017).tabellen["2017"]
    assert t["4 of meer"] == {"aantal": 98, "percentage": 98.0}
    assert t["7 of 8"] == {"aantal": 75, "percentage": 75.0}


def test_2017_casussen_en_inwoners_per_gemeente() -> None:
    events = [besluit(huis=ML, gemeente="GM0946", ontvangen_op="2017-06-01T10:00:00+02:00")
              for _ in range(89)]
    t = sectie("ml_casussen_inwoners", events, ML, J2017,
               context=__import__("services.reporting.domain.secties", fromlist=["Context"])
               .Context(inwoners={"GM0946": 16786})).tabellen["2017"]
    assert t["GM0946"] == {"aantal_casussen": 89, "aantal_inwoners": 16786}


def _wm(per_gemeente: dict[str, tuple[int, int]], maak):  # type: ignore[no-untyped-def]
    return [e for g, aantallen in per_gemeente.items()
            for jaar, n in zip((2017, 2018), aantallen, strict=True) for e in maak(g, jaar, n)]


def _vergelijk(naam: str, events) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    s = sectie(naam, events, WM, J2017, J2018)
    assert s.perioden == ["2017", "2018"]
    return {g: (s.tabellen["2017"][g]["aantal"], s.tabellen["2018"][g]["aantal"])  # type: ignore[misc]
            for g in s.tabellen["2018"]}


def test_2018_pga_per_gemeente_2017_en_2018_met_schinnen() -> None:
    pga = {SITTARD: (91, 102), STEIN: (13, 17), BEEK: (10, 15), SCHINNEN: (2, 6)}
    events = _wm(pga, lambda g, j, n: casussen(n, jaar=j, huis=WM, gemeente=g,
                                               doelgroep="geprioriteerden", einde=None)
                 if False else [e for d in range(n) for e in casus(
                     huis=WM, start=date(j, 1 + d % 11, 1), einde=date(j, 12, 20), gemeente=g)])
    assert _vergelijk("wm_pga_per_gemeente", events) == pga


def test_2018_wth_per_gemeente() -> None:
    wth = {SITTARD: (15, 9), STEIN: (4, 2), BEEK: (5, 2), SCHINNEN: (4, 0)}
    events = _wm(wth, lambda g, j, n: huisverboden(n, Opgelegd, jaar=j, huis=WM, gemeente=g))
    assert _vergelijk("wm_wth_per_gemeente", events) == wth


def test_2018_radicalisering_besproken_per_gemeente() -> None:
    rad = {SITTARD: (23, 8), STEIN: (0, 2), BEEK: (2, 0), SCHINNEN: (1, 1)}
    events = _wm(rad, lambda g, j, n: [e for _ in range(n) for e in casus(
        huis=WM, start=date(j, 2, 1), einde=date(j, 11, 1), traject="kort",
        soort="zorgcasusoverleg", doelgroep="radicalisering", gemeente=g,
        overleggen=[date(j, 3, 1), date(j, 5, 1)])])
    assert _vergelijk("wm_radicalisering_per_gemeente", events) == rad


def test_2018_detentiemeldingen_per_gemeente() -> None:
    det = {SITTARD: (155, 192), STEIN: (12, 11), BEEK: (11, 11), SCHINNEN: (6, 1)}
    events = _wm(det, lambda g, j, n: meldingen(n, jaar=j, huis=WM, bron="dji",
                                                doelgroep="ex_gedetineerden", gemeente=g,
                                                detentie="instroom"))
    assert _vergelijk("wm_detentiemeldingen_per_gemeente", events) == det


def test_2018_schinnen_bestaat_in_2018_en_niet_in_2019() -> None:
    s = sectie("wm_pga_per_gemeente", [], WM, J2018, periode.jaar(2019))
    assert s.tabellen["2018"] == {g: {"aantal": 0} for g in (SITTARD, STEIN, BEEK, SCHINNEN)}
    assert s.tabellen["2019"] == {g: {"aantal": 0} for g in (SITTARD, STEIN, BEEK)}


def test_2018_overzicht_van_het_jaar() -> None:
    events = []
    pga_personen = []
    for _ in range(140):
        p = uuid4()
        pga_personen.append(p)
        events += casus(huis=WM, start=date(2018, 1, 2), einde=date(2018, 12, 30),
                        gemeente=SITTARD, persoon=p)
    events += [e for _ in range(63) for e in casus(
        huis=WM, start=date(2018, 3, 1), traject="kort", soort="zorgcasusoverleg",
        doelgroep="jeugd", gemeente=SITTARD)]
    events += meldingen(713, jaar=2018, huis=WM, bron="veilig_thuis",
                        doelgroep="huiselijk_geweld", gemeente=SITTARD)
    events += huisverboden(13, Opgelegd, jaar=2018, huis=WM, gemeente=STEIN)
    events += [e for i in range(359) for e in meldingen(
        1, jaar=2018, huis=WM, van=date(2018, 2, 1), tot=date(2018, 12, 1), bron="politie",
        doelgroep="overig", gemeente=SITTARD, personen=[pga_personen[i % 140]])]
    events += meldingen(11, jaar=2018, huis=WM, doelgroep="radicalisering", gemeente=BEEK)
    events += meldingen(200, jaar=2018, huis=WM, bron="politie", doelgroep="verward_gedrag",
                        gemeente=SITTARD)
    gedetineerden = [uuid4() for _ in range(195)]
    events += [e for i in range(215) for e in meldingen(
        1, jaar=2018, huis=WM, bron="dji", doelgroep="ex_gedetineerden", gemeente=SITTARD,
        detentie="instroom", personen=[gedetineerden[i % 195]])]
    t = sectie("wm_overzicht", events, WM, J2018).tabellen["2018"]
    assert kolom(t, "aantal") == {
        "unieke_casussen_pga": 140, "verrijkingsonderzoeken_veilig_thuis": 713,
        "wet_tijdelijk_huisverbod": 13, "unieke_casussen_regieteam": 63,
        "politiemeldingen_pga": 359, "meldingen_radicalisering": 11,
        "politiemeldingen_verwarde_personen": 200, "meldingen_nazorg_ex_gedetineerden": 215}
    assert t["meldingen_nazorg_ex_gedetineerden"]["unieke_personen"] == 195


def test_een_kwartaal_en_een_maand_tellen_alleen_hun_dagen() -> None:
    events = meldingen(12, jaar=2018, huis=WM, gemeente=SITTARD)
    assert sectie("mh_tabel1_herkomst", events, WM, periode.lees("2018-Q2")).tabellen[
        "2018-Q2"]["partner"]["aantal"] == 3
    assert sectie("mh_tabel1_herkomst", events, WM, periode.lees("2018-03")).tabellen[
        "2018-03"]["partner"]["aantal"] == 1
    assert moment(date(2018, 1, 1)).year == 2018
