"""Several instances of a part: relay instances divide the outbox by record key, `vhh run`
gives each instance its number, and the supervisor starts a part again that exits."""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, insert

from shared.cli import _instanties, instanties_van
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.outbox.tabel import outbox_tabel
from shared.settings import ExemplaarSettings, KafkaSettings
from shared.supervisor import Proces, Toezicht, _kinderen, leeft, stop_alle, stop_pid


def _relay(engine, tabel, instantie: int, van: int) -> OutboxRelay:  # type: ignore[no-untyped-def]
    return OutboxRelay(engine, tabel, RelayConfig(
        kafka=KafkaSettings(), naam="parkstad.regie", voortgang_topic="t", batch=1000,
        exemplaar=ExemplaarSettings(exemplaar=instantie, exemplaren=van)))


def test_relay_instances_divide_the_outbox_by_key_and_keep_a_keys_order(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'o.db'}")
    tabel = outbox_tabel(MetaData())
    tabel.create(engine)
    with engine.begin() as conn:
        for i in range(200):
            conn.execute(insert(tabel).values(
                topic="t", sleutel=f"casus-{i % 23}".encode() if i % 50 else None,
                waarde=b"x", headers=[], aangemaakt_op=datetime.now(UTC)))
    eerste, tweede = (_relay(engine, tabel, i, 2)._volgende() for i in (1, 2))
    ids = [r.id for r in eerste], [r.id for r in tweede]
    assert not set(ids[0]) & set(ids[1]), "no row has two publishers"
    assert sorted(ids[0] + ids[1]) == list(range(1, 201)), "every row has one"
    assert ids[0] == sorted(ids[0]) and ids[1] == sorted(ids[1])
    assert not {r.sleutel for r in eerste} & {r.sleutel for r in tweede}, "a key stays together"
    assert ids[0] and ids[1]
    # Each instance has a transactional id of its own: a sibling cannot fence it.
    assert {_relay(engine, tabel, i, 2).config.sleutel for i in (1, 2)} == {
        "parkstad.regie.1", "parkstad.regie.2"}
    assert _relay(engine, tabel, 1, 1).config.sleutel == "parkstad.regie"


def test_an_instance_number_beyond_the_count_is_refused():
    with pytest.raises(ValueError, match="VHH_EXEMPLAAR"):
        ExemplaarSettings(exemplaar=3, exemplaren=2)


def test_vhh_run_numbers_the_instances_of_a_process():
    p = Proces("regie-worker", ["x"], "regie")
    assert [(q.naam, env) for q, env in instanties_van(p, 2)] == [
        ("regie-worker", {"VHH_EXEMPLAAR": "1", "VHH_EXEMPLAREN": "2"}),
        ("regie-worker.2", {"VHH_EXEMPLAAR": "2", "VHH_EXEMPLAREN": "2"})]
    assert _instanties(["regie-worker=2", "intake-relay=3"]) == {"regie-worker": 2,
                                                                  "intake-relay": 3}
    with pytest.raises(ValueError, match="regie-worker=nul"):
        _instanties(["regie-worker=nul"])


SLAAP = ("import pathlib, sys, time; pathlib.Path(sys.argv[sys.argv.index('--gereed-bestand') + 1])"
         ".touch(); time.sleep(600)")


def test_the_supervisor_restarts_a_part_that_exits_with_back_off_and_says_so(tmp_path: Path):
    p = Proces("slaper", [sys.executable, "-c", SLAAP], "test")
    nu = [0.0]
    meldingen: list[str] = []
    toezicht = Toezicht(meldingen.append, klok=lambda: nu[0], stabiel=60)
    from shared.supervisor import start

    pid = start(p, tmp_path, dict(os.environ))
    toezicht.bewaak(p, tmp_path, dict(os.environ), pid)
    try:
        toezicht.controleer()
        assert meldingen == [], "a running part is left alone"
        os.kill(pid, signal.SIGKILL)
        _kinderen[pid].wait(30)
        toezicht.controleer()
        assert "slaper (pid" in meldingen[-1] and "restarting in 1s" in meldingen[-1]
        toezicht.controleer()
        assert len(meldingen) == 1, "not before the back-off has passed"
        nu[0] = 1.0
        toezicht.controleer()
        [bewaakt] = toezicht.bewaakt
        assert bewaakt.pid != pid and leeft(bewaakt.pid)
        assert meldingen[-1] == f"slaper restarted (pid {bewaakt.pid})"
        assert (tmp_path / "slaper.pid").read_text() == str(bewaakt.pid)

        # Exiting again soon after: the back-off doubles.
        os.kill(bewaakt.pid, signal.SIGKILL)
        _kinderen[bewaakt.pid].wait(30)
        toezicht.controleer()
        assert "restarting in 2s" in meldingen[-1]
        nu[0] = 3.0
        toezicht.controleer()
        assert leeft(toezicht.bewaakt[0].pid)

        # Stopped on purpose (`vhh stop`): not started again.
        stop_alle(tmp_path)
        toezicht.controleer()
        assert toezicht.bewaakt == []
    finally:
        for b in toezicht.bewaakt:
            stop_pid(b.pid)


def test_min_insync_above_the_replication_factor_is_refused():
    with pytest.raises(ValueError, match="VHH_KAFKA_MIN_INSYNC"):
        KafkaSettings(replicatie=1, min_insync=2)
    assert KafkaSettings(replicatie=3, min_insync=2).omgeving()["VHH_KAFKA_REPLICATIE"] == "3"


class _Blijvend:
    """A worker part that runs until it is stopped, and says so."""

    def __init__(self) -> None:
        import threading

        self.loopt = threading.Event()
        self.gestopt = False

    async def start(self) -> None:
        import asyncio

        self._stop = asyncio.Event()

    async def run(self) -> None:
        self.loopt.set()
        await self._stop.wait()

    def stop(self) -> None:
        self.gestopt = True
        self._stop.set()

    async def sluit(self) -> None: ...


def test_a_combined_process_runs_every_part_and_a_part_that_ends_stops_the_others() -> None:
    """`python -m services.<dienst> samen` (the lean `vhh run --samen`): every process of the
    service runs in one, ready once each part is; when one part ends, the others are stopped
    the way SIGTERM stops them, and the process ends."""
    import asyncio
    import threading

    from shared import proces, worker

    samen_gereed = threading.Event()
    blijvend = _Blijvend()
    loopt = blijvend.loopt

    def werker(dienst: object, settings: object, klaar: proces.Gereed) -> None:
        asyncio.run(worker.draai([blijvend], gereed=[], bij_gereed=klaar))

    def kort(dienst: object, settings: object, klaar: proces.Gereed) -> None:
        loopt.wait(30)
        klaar()
        samen_gereed.wait(30)  # then it ends, as a part that fails would

    proces.samen({"worker": werker, "relay": kort}, object(), object(), samen_gereed.set)
    assert samen_gereed.is_set()
    assert blijvend.gestopt


def test_a_house_process_serves_each_services_api_on_its_own_port_and_stops_as_a_whole(
        ) -> None:
    """`python -m services samen triage regie ...` (a house's lean process): each service's app
    answers on its own port, ready once every part is; SIGTERM (from the supervisor) stops the
    APIs and then the workers gracefully, and the process returns instead of dying halfway
    (uvicorn's own signal handling raised the signal again and ended the process before its
    workers were stopped)."""
    import asyncio
    import threading

    import httpx
    from fastapi import FastAPI

    from shared import proces, worker
    from shared.devstack.ports import free_ports

    poorten = free_ports(2)

    def app(naam: object) -> FastAPI:
        a = FastAPI()
        a.get("/")(lambda: {"dienst": naam})
        return a

    class Instellingen:
        http_host = "127.0.0.1"

        def __init__(self, poort: int) -> None:
            self.http_port = poort

    blijvend = _Blijvend()
    gereed = threading.Event()
    antwoorden: dict[int, object] = {}

    def werker(dienst: object, settings: object, klaar: proces.Gereed) -> None:
        asyncio.run(worker.draai([blijvend], gereed=[], bij_gereed=klaar))

    def supervisor(dienst: object, settings: object, klaar: proces.Gereed) -> None:
        klaar()
        if gereed.wait(30):
            for p in poorten:
                antwoorden[p] = httpx.get(f"http://127.0.0.1:{p}/").json()["dienst"]
        os.kill(os.getpid(), signal.SIGTERM)

    proces.samen_delen([
        proces.Onderdeel("triage-api", proces.Api(app), "triage", Instellingen(poorten[0])),
        proces.Onderdeel("regie-api", proces.Api(app), "regie", Instellingen(poorten[1])),
        proces.Onderdeel("regie-worker", werker, None, None),
        proces.Onderdeel("toezicht", supervisor, None, None),
    ], gereed.set)
    assert antwoorden == {poorten[0]: "triage", poorten[1]: "regie"}
    assert blijvend.gestopt


def test_a_one_shot_command_runs_alone_but_is_no_part_of_the_combined_process(monkeypatch) -> None:
    """A rebuild does its work and ends; inside `samen` its end ended the whole process (under
    `vhh run` every house's reporting stopped right after it was ready)."""
    import shared.telemetry
    from shared import proces

    gedaan: list[str] = []
    monkeypatch.setattr(shared.telemetry, "configureer", lambda naam: None)
    monkeypatch.setattr(proces, "samen", lambda p, *_: gedaan.append("samen:" + ",".join(p)))

    def eenmaal(dienst: object, settings: object, klaar: proces.Gereed) -> None:
        gedaan.append("herbouwd")

    def draai(argv: list[str]) -> None:
        dienst = proces.Dienst("x", instellingen=object, migreer=lambda s: None,
                               bouw=lambda s: s,
                               processen={"api": lambda *_: None, "worker": lambda *_: None})
        proces.draai_dienst(dienst, eenmalig={"rebuild": eenmaal}, argv=argv)

    draai(["samen"])
    draai(["rebuild"])
    assert gedaan == ["samen:api,worker", "herbouwd"]

    from services.reporting import __main__ as reporting

    gevraagd: dict[str, object] = {}
    monkeypatch.setattr(reporting, "draai_dienst", lambda *a, **k: gevraagd.update(k))
    reporting.main(["samen"])
    assert set(reporting.DIENST.processen) == {"api", "worker"}
    assert set(gevraagd["eenmalig"]) == {"rebuild"}  # type: ignore[call-overload]
