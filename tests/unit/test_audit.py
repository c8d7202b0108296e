"""The audit log through a service's API: reads and changes of personal data are recorded with
who, organisation, on whose behalf, purpose and what; so is reading the log itself. The chain is
sealed with a key the database does not hold and its head is anchored outside it, so a changed
row, a rewritten-and-resealed chain and a log cut back behind its anchor are all found."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, MetaData, create_engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from shared.audit import (
    BEGIN,
    Anker,
    AuditGebroken,
    Auditlog,
    AuditSettings,
    ongesleutelde_hash,
    zegel,
)
from shared.contracts.huizen import HuisId
from shared.testing import kop
from shared.toegang import Gebruiker, Rol
from tests.unit.test_toegang_api import _triage

SLEUTEL = b"sleutel-van-de-test-niet-geheim-maar-lang-genoeg"
SANNE = Gebruiker("sanne", "Sanne", HuisId("parkstad"), "ZVH Parkstad",
                  frozenset({Rol.SCREENER}), doel="screening")


class Ankers:
    """Anchors in memory, the way the Kafka topic keeps them (every record, per log)."""

    def __init__(self) -> None:
        self.records: list[tuple[str, bytes]] = []
        self.gekregen = threading.Event()

    def leg_vast(self, log: str, waarde: bytes) -> None:
        self.records.append((log, waarde))
        self.gekregen.set()

    def waarden(self, log: str) -> list[bytes]:
        return [w for naam, w in self.records if naam == log]


def _log(tmp_path: Path, ankers: Ankers | None = None, rijen: int = 5
         ) -> tuple[Auditlog, Engine]:
    """A log on a bare table: the attacker here may change it as the owner of the table could
    (the migrations' triggers are what stops a mere writer; see the API test below)."""
    from shared.audit import audit_tabel

    engine = create_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    metadata = MetaData()
    tabel = audit_tabel(metadata)
    metadata.create_all(engine)
    log = Auditlog(engine, tabel, "triage", sleutel=SLEUTEL, naam="triage/test", ankers=ankers)
    for i in range(rijen):
        log.leg_vast(SANNE, f"lezen_{i}", huis="parkstad", persoon_ids=[f"p{i}"])
    return log, engine


def test_reads_and_changes_are_recorded_and_tampering_is_found(tmp_path: Path) -> None:
    dienst = _triage(tmp_path)
    mid, pid = dienst.waarden["melding_id"], dienst.waarden["persoon_id"]
    screener = TestClient(dienst.app, headers={
        **kop("parkstad", "screener", naam="Sanne", organisatie="ZVH Parkstad"),
        "X-Doel": "screening"})
    assert screener.get(f"/api/v1/triage/meldingen/{mid}").status_code == 200
    assert screener.post(f"/api/v1/triage/meldingen/{mid}/advies",
                         json={"feiten": {}}).status_code == 200
    partner = TestClient(dienst.app, headers=kop("parkstad", "partner", organisatie="ggz"))
    assert partner.post(f"/api/v1/triage/verrijkingen/{dienst.waarden['verrijking_id']}"
                        "/antwoord", json={"antwoord": "Bekend"}).status_code == 200
    assert partner.get(f"/api/v1/triage/meldingen/{mid}").status_code == 403
    anders = TestClient(dienst.app, headers=kop("parkstad", "partner", organisatie="Politie"))
    assert anders.post(f"/api/v1/triage/verrijkingen/{dienst.waarden['verrijking_id']}"
                       "/antwoord", json={"antwoord": "x"}).status_code == 404

    beheerder = TestClient(dienst.app, headers=kop("parkstad", "beheerder"))
    assert screener.get("/api/v1/audit").status_code == 403
    rijen = beheerder.get("/api/v1/audit", params={"persoon_id": pid}).json()["items"]
    assert [(r["operatie"], r["naam"], r["doel"]) for r in rijen] == [
        ("screening_lezen", "Sanne", "screening"),
        ("feiten_vastleggen", "Sanne", "screening"),
        ("verrijking_beantwoorden", "test-partner", "triage")]
    assert rijen[0]["organisatie"] == "ZVH Parkstad" and rijen[0]["object_ids"] == [mid]
    assert beheerder.get("/api/v1/audit",
                         params={"van": "2999-01-01T00:00:00Z"}).json()["items"] == []
    controle = beheerder.get("/api/v1/audit/controle").json()
    assert (controle["intact"], controle["toestand"], controle["eerste_gebroken"]) == \
        (True, "intact", None)

    from services.triage.adapters.tabellen import audit

    engine = create_engine(f"sqlite:///{tmp_path / 'triage.db'}")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(update(audit).where(audit.c.id == rijen[1]["id"]).values(naam="Niemand"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(delete(audit).where(audit.c.id == rijen[1]["id"]))
    # Whoever owns the table can drop the trigger; the keyed chain still shows the change.
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_geen_update"))
        conn.execute(update(audit).where(audit.c.id == rijen[1]["id"]).values(naam="Niemand"))
    controle = beheerder.get("/api/v1/audit/controle").json()
    assert (controle["intact"], controle["toestand"], controle["eerste_gebroken"]) == \
        (False, "herschreven", rijen[1]["id"])
    assert "content" in controle["reden"]


def test_reading_the_audit_log_is_itself_recorded(tmp_path: Path) -> None:
    dienst = _triage(tmp_path)
    pid = dienst.waarden["persoon_id"]
    beheerder = TestClient(dienst.app, headers={
        **kop("parkstad", "beheerder", naam="Fenna"), "X-Doel": "privacyonderzoek"})
    assert beheerder.get("/api/v1/audit", params={"persoon_id": pid}).json()["items"] == []
    assert beheerder.get("/api/v1/audit/controle").status_code == 200
    inzage = beheerder.get(f"/api/v1/audit/inzage/{pid}").json()
    # The person's access request shows the officer's earlier look at their log.
    assert [(r["operatie"], r["naam"], r["doel"], r["persoon_ids"])
            for r in inzage["toegang"]] == [("audit_lezen", "Fenna", "privacyonderzoek", [pid])]
    operaties = [r["operatie"] for r in beheerder.get("/api/v1/audit").json()["items"]]
    assert operaties == ["audit_lezen", "audit_controleren", "audit_inzage"]


def test_an_unknown_purpose_is_refused_naming_the_header(tmp_path: Path) -> None:
    dienst = _triage(tmp_path)
    mid, pid = dienst.waarden["melding_id"], dienst.waarden["persoon_id"]
    auth = kop("parkstad", "screener", naam="Sanne")
    r = TestClient(dienst.app, headers={**auth, "X-Doel": "nieuwsgierigheid"}).get(
        f"/api/v1/triage/meldingen/{mid}")
    assert r.status_code == 422
    fout = r.json()["invalidParams"][0]
    assert fout["name"] == "X-Doel" and "nieuwsgierigheid" in fout["reason"]
    # A configured purpose in any case is recorded as configured; no header: the service's own.
    assert TestClient(dienst.app, headers={**auth, "X-Doel": "Casusregie"}).get(
        f"/api/v1/triage/meldingen/{mid}").status_code == 200
    assert TestClient(dienst.app, headers=auth).get(
        f"/api/v1/triage/meldingen/{mid}").status_code == 200
    rijen = TestClient(dienst.app, headers=kop("parkstad", "beheerder")).get(
        "/api/v1/audit", params={"persoon_id": pid}).json()["items"]
    assert [r["doel"] for r in rijen] == ["casusregie", "triage"]


def test_cutting_the_newest_rows_is_found_against_the_anchor(tmp_path: Path) -> None:
    ankers = Ankers()
    log, engine = _log(tmp_path, ankers)
    anker = log.veranker()
    assert anker is not None and anker.id == 5
    with engine.begin() as conn:
        conn.execute(delete(log.tabel).where(log.tabel.c.id >= 4))

    # A fresh process, knowing only what the anchor topic keeps.
    opnieuw = Auditlog(engine, log.tabel, "triage", sleutel=SLEUTEL, naam="triage/test",
                       ankers=ankers)
    c = opnieuw.controleer()
    assert (c.intact, c.toestand, c.eerste_gebroken, c.anker) == (False, "ingekort", 4, 5)
    assert "anchored at row 5" in (c.reden or "")
    # The next round does not anchor the shortened head over the evidence.
    with pytest.raises(AuditGebroken, match="row 5"):
        opnieuw.veranker()
    assert len(ankers.records) == 1


def test_rewriting_a_row_and_resealing_the_rest_is_found(tmp_path: Path) -> None:
    log, engine = _log(tmp_path)
    t = log.tabel
    for sleutel in (None, b"wat de aanvaller ook probeert"):
        with engine.begin() as conn:
            rijen = [dict(r._mapping) for r in conn.execute(select(t).order_by(t.c.id))]
            rijen[1]["operatie"] = "niets_gelezen"
            vorige = BEGIN
            for r in rijen:
                nieuw = (ongesleutelde_hash(vorige, r) if sleutel is None
                         else zegel(sleutel, vorige, r))
                conn.execute(update(t).where(t.c.id == r["id"]).values(
                    operatie=r["operatie"], vorige_hash=vorige, hash=nieuw))
                vorige = nieuw
        c = log.controleer()
        assert (c.intact, c.toestand, c.eerste_gebroken) == (False, "herschreven", 1)


def test_a_replayed_or_forged_anchor_does_not_hide_a_cut(tmp_path: Path) -> None:
    ankers = Ankers()
    log, engine = _log(tmp_path, ankers, rijen=3)
    log.veranker()
    for _ in range(2):
        log.leg_vast(SANNE, "lezen", huis="parkstad")
    assert log.veranker() is not None
    oud = ankers.records[0][1]
    vals = Anker.maak(b"niet de sleutel van de log", "triage/test", 1, "x", "nu")
    ankers.leg_vast("triage/test", oud)  # replayed: now the newest record, not the highest
    ankers.leg_vast("triage/test", vals.waarde())  # not sealed with the key: ignored
    with engine.begin() as conn:
        conn.execute(delete(log.tabel).where(log.tabel.c.id >= 4))
    c = Auditlog(engine, log.tabel, "triage", sleutel=SLEUTEL, naam="triage/test",
                 ankers=ankers).controleer()
    assert (c.toestand, c.anker, c.eerste_gebroken) == ("ingekort", 5, 4)


def test_the_api_process_anchors_its_log_while_it_runs(tmp_path: Path) -> None:
    from services.triage.bootstrap import bootstrap
    from services.triage.entrypoints.api import maak_app
    from services.triage.settings import TriageSettings

    dienst = _triage(tmp_path)  # migrated, with a melding
    triage = bootstrap(TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}"))
    ankers = Ankers()
    triage.audit.ankers = ankers
    triage.audit.leg_vast(SANNE, "lezen", huis="parkstad")
    with TestClient(maak_app(triage)):
        assert ankers.gekregen.wait(30), "no anchor written while the app ran"
    anker = Anker.van(ankers.records[0][1])
    assert (anker.log, anker.id) == (triage.audit.naam, 1)
    assert anker.log == "triage/triage.db" and dienst.naam == "triage"


def test_production_refuses_to_run_without_an_audit_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VHH_AUDIT_SLEUTEL")
    monkeypatch.setenv("VHH_OMGEVING", "productie")
    with pytest.raises(ValueError, match="VHH_AUDIT_SLEUTEL"):
        AuditSettings().sleutel_bytes()
    monkeypatch.setenv("VHH_AUDIT_SLEUTEL", "te kort")
    with pytest.raises(ValueError, match="VHH_AUDIT_SLEUTEL"):
        AuditSettings().sleutel_bytes()


def test_the_migration_seals_the_old_chain_with_the_key(tmp_path: Path) -> None:
    from services.triage.adapters.tabellen import audit
    from services.triage.bootstrap import MIGRATIES

    url = f"sqlite:///{tmp_path / 'triage.db'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIES))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "0003")
    engine = create_engine(url)
    vorige = BEGIN
    with engine.begin() as conn:  # two rows as the unkeyed log wrote them
        for i in range(2):
            rij = {"op": f"2026-01-0{i + 1}T00:00:00.000000Z", "sub": "s", "naam": "Sanne",
                   "organisatie": "ZVH", "namens": None, "huis": "parkstad", "doel": "triage",
                   "operatie": "lezen", "object_ids": "[]", "persoon_ids": "[]"}
            h = ongesleutelde_hash(vorige, rij)
            conn.execute(insert(audit).values(**rij, vorige_hash=vorige, hash=h))
            vorige = h
    command.upgrade(cfg, "head")
    log = Auditlog(engine, audit, "triage")
    assert log.controleer().toestand == "intact"
    with engine.begin() as conn:  # the plain hash no longer passes for a seal
        assert conn.scalar(select(audit.c.hash).where(audit.c.id == 2)) != vorige


def test_concurrent_requests_share_one_audit_write_and_the_chain_stays_intact(
        tmp_path: Path) -> None:
    """The audit log is no global queue for the API: requests that wait while a write holds the
    lock are appended together, in one transaction, and every one of them is in the chain."""
    from sqlalchemy import event

    log, engine = _log(tmp_path, rijen=1)
    transacties: list[int] = []
    event.listen(engine, "begin", lambda conn: transacties.append(1))
    wachtenden = 12
    with log._groep.bezet():  # a write in progress: the requests below queue behind it
        draden = [threading.Thread(target=log.leg_vast, args=(SANNE, f"lezen_{i}"),
                                   kwargs={"huis": "parkstad", "persoon_ids": [f"q{i}"]})
                  for i in range(wachtenden)]
        for d in draden:
            d.start()
        while log._groep.wachtend < wachtenden:  # every request has queued its row
            threading.Event().wait(0.01)
    for d in draden:
        d.join()
    assert len(transacties) == 1
    controle = log.controleer()
    assert controle.intact and controle.rijen == 1 + wachtenden
    with engine.connect() as c:
        operaties = set(c.scalars(text("SELECT operatie FROM audit")))
    assert operaties >= {f"lezen_{i}" for i in range(wachtenden)}
