"""Triage's handlers on a real (SQLite) database: queue, enrichment, advice, decision, outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from services.triage import handlers
from services.triage.adapters.tabellen import inbox, outbox
from services.triage.bootstrap import bootstrap, migreer_database
from services.triage.domain.besluit import AlBesloten, Keuze
from services.triage.entrypoints.worker import verwerking
from services.triage.settings import TriageSettings
from shared.contracts import regie
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.triage import BESLUIT_GENOMEN_V1, Feiten, Leefgebied, Route
from shared.contracts.vocabulaire import Bron
from shared.kafka_io import Record
from shared.kit.fouten import OngeldigeInvoer
from shared.testing import teken_convenant, versleuteld

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def triage(tmp_path):  # type: ignore[no-untyped-def]
    settings = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}")
    migreer_database(settings)
    return bootstrap(settings, klok=lambda: NU)


def melding(huis: str = "parkstad", persoon: UUID | None = None) -> MeldingGeregistreerd:
    pid = persoon or uuid4()
    return MeldingGeregistreerd.model_validate({
        "melding_id": str(uuid4()), "huis": huis, "bron": "politie", "organisatie": "Politie",
        "bron_referentie": f"M-{uuid4().hex[:6]}", "doelgroep": "huiselijk_geweld",
        "doelgroepen": ["huiselijk_geweld"], "gemeentecode": "GM0917",
        "ontvangen_op": "2026-11-20T10:00:00+01:00",
        "geregistreerd_op": "2026-11-20T10:00:01+01:00",
        "urgentie": "normaal", "omschrijving": "Ruzie in woning",
        "routering": {"huis": huis, "grond": "pleegplaats", "toelichting": "t"},
        "hoofdpersoon_id": str(pid),
        "betrokkenen": [{"persoon_id": str(pid), "rol": "verdachte", "achternaam": "Jansen"}],
        "politie": {"mutatie_id": "x", "basisteam": "Heerlen", "maatschappelijke_klasse": "hg",
                    "gpp": False},
    })


def record(event: CloudEvent, topic: str = "vhh.parkstad.meldingen.v1") -> Record:
    headers, waarde = event.to_binary()
    return Record(topic, 0, 0, None, waarde, headers)


def lees(triage, r: Record) -> None:  # type: ignore[no-untyped-def]
    """As the consumer hands a record to triage's dispatch table."""
    verwerking(triage).verwerk_een(r)


def ontvang(triage, m: MeldingGeregistreerd) -> None:  # type: ignore[no-untyped-def]
    ev = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake", id=str(m.melding_id),
                    data=versleuteld(m))
    lees(triage, record(ev))


def test_melding_komt_een_keer_in_de_wachtrij_met_termijn(triage):  # type: ignore[no-untyped-def]
    m = melding()
    ontvang(triage, m)
    ontvang(triage, m)  # redelivered
    with triage.uow() as u:
        rij = u.wachtrij("parkstad")
        assert [s.melding.melding_id for s in rij] == [m.melding_id]
        assert str(rij[0].termijn) == "2026-11-27"
        assert u.session.scalar(select(inbox.c.type)) == MELDING_GEREGISTREERD_V1


def test_melding_van_een_ander_huis_blijft_buiten(triage):  # type: ignore[no-untyped-def]
    triage.settings.huizen = [HuisId.NOORD_LIMBURG]
    ontvang(triage, melding())
    with triage.uow() as u:
        assert u.wachtrij("parkstad") == []


def test_van_verrijking_via_advies_naar_besluit(triage):  # type: ignore[no-untyped-def]
    m = melding()
    ontvang(triage, m)
    teken_convenant(triage.uow, "parkstad", "GGZ")
    v = handlers.vraag_verrijking(m.melding_id, "GGZ", "Bekend?", "scr", uow=triage.uow)
    handlers.beantwoord_verrijking(v.verrijking_id, "In zorg", ["verslaving"], "ggz-mw",
                                   uow=triage.uow)
    with pytest.raises(OngeldigeInvoer, match="feiten"):
        handlers.neem_besluit(m.melding_id, Keuze(Route.TERUGVERWIJZEN, None, None, "VT"),
                              "scr", uow=triage.uow)
    advies = handlers.vraag_advies(
        m.melding_id, Feiten(leefgebieden=frozenset({Leefgebied.VERSLAVING, Leefgebied.JUSTITIE}),
                             politie_geprioriteerd=True), "scr", uow=triage.uow)
    assert advies.route is Route.PERSOONSGERICHTE_AANPAK
    besluit = handlers.neem_besluit(
        m.melding_id, Keuze(Route.PERSOONSGERICHTE_AANPAK, "top_x", None, None), "scr",
        uow=triage.uow, klok=triage.klok)
    assert (besluit.afwijking, besluit.besloten_door, besluit.terugkoppeling_aan) == (
        False, "scr", "Politie")
    with pytest.raises(AlBesloten):
        handlers.neem_besluit(m.melding_id, Keuze(Route.PERSOONSGERICHTE_AANPAK, "top_x", None,
                                                  None), "scr", uow=triage.uow)
    with triage.uow() as u:
        typen = list(u.session.execute(
            select(outbox.c.topic, outbox.c.headers)).all())
        assert [r.topic for r in typen] == ["vhh.parkstad.triage.v1"] * 2
        assert u.wachtrij("parkstad") == []
        assert u.screening(m.melding_id).verrijkingen[0].beantwoord_door == "ggz-mw"
    assert any(BESLUIT_GENOMEN_V1.encode() in _headerwaarden(r.headers) for r in typen)


def _headerwaarden(headers: list[list[str]]) -> list[bytes]:
    import base64

    return [base64.b64decode(v) for _, v in headers]


def test_casus_van_regie_verschijnt_in_het_persoonsbeeld(triage):  # type: ignore[no-untyped-def]
    m = melding()
    ontvang(triage, m)
    casus_id = uuid4()
    aangemeld = regie.CasusAangemeld(
        casus_id=casus_id, huis="parkstad", op=NU, door="regie", melding_id=m.melding_id,
        besluit_id=uuid4(), hoofdpersoon_id=m.hoofdpersoon_id, persoon_ids=[m.hoofdpersoon_id],
        doelgroep="huiselijk_geweld", gemeentecode="GM0917", traject="lang", soort="top_x",
        melding_ontvangen_op=m.ontvangen_op, besloten_op=NU, status="aangemeld")
    gesloten = regie.CasusAfgesloten(casus_id=casus_id, huis="parkstad", op=NU, door="pr",
                                     reden="klaar", status="afgesloten")
    for e in (aangemeld, gesloten):
        ev = CloudEvent(type=regie.EVENT_TYPE[type(e)], source="/vhh/regie",
                        data=versleuteld(e, "casus", [m.hoofdpersoon_id]))
        lees(triage, record(ev, "vhh.parkstad.casussen.v1"))
    with triage.uow() as u:
        [casus] = u.casussen_van([m.hoofdpersoon_id])
    assert (casus.casus_id, casus.status, casus.soort) == (casus_id, "afgesloten", "top_x")


def test_onleesbaar_record_wordt_apart_gezet(triage):  # type: ignore[no-untyped-def]
    from services.triage.adapters.tabellen import afgewezen

    lees(triage, Record("vhh.parkstad.meldingen.v1", 1, 7, None, b"{", []))
    with triage.uow() as u:
        rij = u.session.execute(select(afgewezen)).one()
    assert (rij.partitie, rij.offset, rij.waarde) == (1, 7, b"{")
    assert rij.reden


def _dji(m: MeldingGeregistreerd) -> MeldingGeregistreerd:
    return m.model_copy(update={"bron": Bron.DJI, "politie": None})


def _verwijzing(triage, m: MeldingGeregistreerd) -> None:  # type: ignore[no-untyped-def]
    from shared.contracts.nazorg import NAAR_TRIAGE_VERWEZEN_V1, NaarTriageVerwezen

    v = NaarTriageVerwezen(dossier_id=uuid4(), huis=m.huis, persoon_id=m.hoofdpersoon_id,
                           motivatie="schulden, verslaving en geen woning", verwezen_door="cm",
                           verwezen_op=NU, melding_ids=[m.melding_id])
    ev = CloudEvent(type=NAAR_TRIAGE_VERWEZEN_V1, source="/vhh/nazorg",
                    data=versleuteld(v, "nazorg"))
    lees(triage, record(ev, "vhh.parkstad.nazorg.v1"))


def test_detentiemelding_blijft_bij_nazorg_tot_nazorg_verwijst(triage):  # type: ignore[no-untyped-def]
    m = _dji(melding())
    ontvang(triage, m)
    with triage.uow() as u:
        assert u.wachtrij("parkstad") == []
        assert [s.status for s in u.meldingen_van(m.hoofdpersoon_id)] == ["bij_nazorg"]
    _verwijzing(triage, m)
    with triage.uow() as u:
        [s] = u.wachtrij("parkstad")
    assert s.verwijzing is not None and s.verwijzing.verwezen_door == "cm"
    assert str(s.termijn) == "2026-11-30"  # five working days from the referral


def test_verwijzing_die_voor_de_melding_aankomt_wacht_op_de_melding(triage):  # type: ignore[no-untyped-def]
    m = _dji(melding())
    _verwijzing(triage, m)
    ontvang(triage, m)
    with triage.uow() as u:
        assert [s.melding.melding_id for s in u.wachtrij("parkstad")] == [m.melding_id]


def test_het_besluit_draagt_de_wijk_van_de_melding(triage):  # type: ignore[no-untyped-def]
    m = melding().model_copy(update={"wijk": "WK091701"})
    ontvang(triage, m)
    handlers.vraag_advies(m.melding_id, Feiten(), "scr", uow=triage.uow)
    besluit = handlers.neem_besluit(
        m.melding_id, Keuze(Route.TERUGVERWIJZEN, None, "m", "Veilig Thuis"), "scr",
        uow=triage.uow, klok=triage.klok)
    assert besluit.wijk == "WK091701"


def _met_personen(*personen: UUID) -> MeldingGeregistreerd:
    m = melding(persoon=personen[0])
    return m.model_copy(update={"betrokkenen": [
        m.betrokkenen[0].model_copy(update={"persoon_id": p}) for p in personen]})


def test_groepen_volgen_personen_over_meldingen_heen_als_gegevens(triage):  # type: ignore[no-untyped-def]
    """A father in one melding, father and child in the next, the child and mother in a third:
    one group, kept as the meldingen arrive (a table), not recomputed when the queue is read."""
    from services.triage.adapters.tabellen import groep
    from services.triage.adapters.tabellen import melding as melding_tabel

    vader, kind, moeder, ander = uuid4(), uuid4(), uuid4(), uuid4()
    m1, m2, m3, m4 = (_met_personen(vader), _met_personen(ander), _met_personen(moeder),
                      _met_personen(kind, moeder))
    for m in (m1, m2, m3):
        ontvang(triage, m)
    with triage.uow() as u:
        g = dict(u.session.execute(select(melding_tabel.c.melding_id, melding_tabel.c.groep_id))
                 .tuples().all())
        assert len({g[m1.melding_id], g[m2.melding_id], g[m3.melding_id]}) == 3
    ontvang(triage, _met_personen(vader, kind))  # links the father's group to the child
    ontvang(triage, m4)  # and the child to the mother's: one household
    with triage.uow() as u:
        g = dict(u.session.execute(select(melding_tabel.c.melding_id, melding_tabel.c.groep_id))
                 .tuples().all())
        assert g[m1.melding_id] == g[m3.melding_id] == g[m4.melding_id] != g[m2.melding_id]
        rij = u.session.execute(select(groep).where(groep.c.groep_id == g[m1.melding_id])).one()
        assert (rij.meldingen, rij.personen) == (4, 3)
        assert u.session.scalar(select(func.count()).select_from(groep)) == 2
        s = u.screening(m4.melding_id)
        assert s.groep is not None and (s.groep.meldingen, s.groep.personen) == (4, 3)
