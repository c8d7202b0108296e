"""Session fixtures for the integration tier: one broker, one PostgreSQL and one intake
deployment per test run, on their own data dirs and free ports, each stopped by its own pid.

The broker runs with SASL/SCRAM and ACLs as `vhh run`'s does: the fixtures hand out the super
user's settings (``kafka_broker.beheer``) or a principal's (``kafka_broker.als(...)``). The
intake processes log in as ``intake``, the chain's triage and regie as
``huis-maastricht-heuvelland``, nazorg as ``nazorg-provincie``; reporting (a test instance
with a name of its own) as ``beheer``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shared import supervisor
from shared.contracts.huizen import HuisId
from shared.devstack.ports import free_port
from shared.settings import KafkaSettings
from shared.testing import laat_melden


@dataclass(frozen=True)
class TestBroker:
    """The session's broker with its principals' passwords."""

    broker: Any
    beheer: KafkaSettings
    wachtwoorden: dict[str, str]

    @property
    def bootstrap(self) -> str:
        return self.beheer.bootstrap

    def als(self, principal: str, wachtwoord: str | None = None) -> KafkaSettings:
        """Settings to log in as ``principal`` (with its own password unless one is given)."""
        return self.beheer.als(principal, wachtwoord or self.wachtwoorden[principal])

TEST_SLEUTEL = "integratietest-sleutel-" + uuid.uuid4().hex
# The processes verify tokens with this key; the tests sign theirs with it (shared.testing.kop
# reads VHH_AUTH_SLEUTEL like the services do).
os.environ["VHH_AUTH_SLEUTEL"] = TEST_SLEUTEL


@dataclass(frozen=True)
class IntakeDeployment:
    kafka: KafkaSettings
    """The super user's settings, for tests that publish and read anywhere."""
    database_url: str
    api: str
    env: dict[str, str]
    run_dir: Path
    broker: TestBroker

    def env_als(self, principal: str) -> dict[str, str]:
        """The VHH_KAFKA_* variables of a process logging in as ``principal``."""
        return self.broker.als(principal).omgeving()


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestBroker]:
    from shared import kafka_acls
    from shared.devstack import kafka

    data_dir = tmp_path_factory.mktemp("kafka")
    broker = kafka.start(data_dir)
    try:
        from shared.kafka_admin import pas_toe

        # No VHH_KAFKA_* from the caller's environment: the test broker is the session's own.
        beheer = KafkaSettings.model_construct(
            bootstrap=broker.bootstrap, security_protocol="PLAINTEXT",
            sasl_mechanism=kafka.SCRAM, gebruiker=None, wachtwoord=None,
        ).als(broker.gebruiker, broker.wachtwoord)
        pas_toe(beheer)
        wachtwoorden = kafka_acls.wachtwoorden(broker.credentials)
        kafka_acls.pas_toe(beheer, wachtwoorden)
        yield TestBroker(broker, beheer, wachtwoorden)
    finally:
        kafka.stop(data_dir)


@dataclass(frozen=True)
class TestCluster(TestBroker):
    """The session's three-node cluster: topics with replication factor 3 and
    min.insync.replicas 2. ``dood`` kills a node with SIGKILL by its pid; ``herstart`` starts
    the nodes that are down again (on their own data and ports)."""

    root: Path = Path()

    def dood(self, node_id: int) -> int:
        from shared.devstack import kafka

        node = kafka.status(kafka.node_dir(self.root, node_id))
        assert node is not None, f"node {node_id} does not run"
        os.kill(node.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(node.pid, 0)
        return node.pid

    def herstart(self) -> None:
        from shared.devstack import kafka

        kafka.start_cluster(self.root, len(self.broker.nodes))


@pytest.fixture(scope="session")
def kafka_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestCluster]:
    """A local KRaft cluster of three combined nodes, SASL/SCRAM and ACLs as the single broker,
    the registry's topics and principals applied."""
    from shared import kafka_acls
    from shared.devstack import kafka
    from shared.kafka_admin import pas_toe

    root = tmp_path_factory.mktemp("kafka-cluster")
    try:
        cluster = kafka.start_cluster(root, 3)
        rf, min_isr = kafka.replicatie_voor(3)
        beheer = KafkaSettings.model_construct(
            bootstrap=cluster.bootstrap, security_protocol="PLAINTEXT",
            sasl_mechanism=kafka.SCRAM, gebruiker=None, wachtwoord=None, replicatie=rf,
            min_insync=min_isr,
        ).als(cluster.gebruiker, cluster.wachtwoord)
        pas_toe(beheer)
        wachtwoorden = kafka_acls.wachtwoorden(cluster.credentials)
        kafka_acls.pas_toe(beheer, wachtwoorden)
        yield TestCluster(cluster, beheer, wachtwoorden, root)
    finally:
        kafka.stop_cluster(root)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from shared.devstack import postgres

    # Not under pytest's tmp root: that is 0700 and PostgreSQL runs as its own OS user.
    data_dir = Path(tempfile.mkdtemp(prefix="vhh-test-pg-"))
    data_dir.chmod(0o755)
    server = postgres.start(data_dir / "data")
    try:
        yield server
    finally:
        postgres.stop(data_dir / "data")
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def nieuwe_database(postgres_server) -> str:  # type: ignore[no-untyped-def]
    """A fresh, empty PostgreSQL database for one test."""
    from shared.devstack import postgres

    naam = f"t_{uuid.uuid4().hex[:12]}"
    postgres.create_database(postgres_server, naam)
    return postgres_server.url(naam)


@pytest.fixture(scope="session")
def otlp() -> Iterator[Any]:
    """A real OTLP/HTTP receiver that every process of the integration tier exports its spans
    to (through the standard OTEL_* variables in the processes' environment)."""
    from tests.otlp import OtlpOntvanger

    ontvanger = OtlpOntvanger().start()
    try:
        yield ontvanger
    finally:
        ontvanger.stop()


@pytest.fixture(scope="session")
def intake(kafka_broker, postgres_server, tmp_path_factory, otlp) -> Iterator[IntakeDeployment]:  # type: ignore[no-untyped-def]
    """The real intake processes (api, feeds, relay) against the test broker and database."""
    from shared.devstack import postgres

    postgres.create_database(postgres_server, "intake")
    postgres.create_database(postgres_server, "sleutelkluis")
    # One key vault for every process of the run, and for the tests that open what they read
    # (the master key comes from conftest.py).
    os.environ["VHH_SLEUTELKLUIS_DATABASE_URL"] = postgres_server.url("sleutelkluis")
    poort = free_port()
    env = {**os.environ, **kafka_broker.beheer.omgeving(),
           "VHH_OMGEVING": "ontwikkeling", "VHH_AUTH_SLEUTEL": TEST_SLEUTEL,
           "VHH_INTAKE_DATABASE_URL": postgres_server.url("intake"),
           "VHH_INTAKE_HTTP_PORT": str(poort), **otlp.omgeving(),
           # the retention clock's rounds, so that a test sees a period end within seconds
           "VHH_INTAKE_BEWAARKLOK_INTERVAL": "2"}
    run_dir = tmp_path_factory.mktemp("intake-run")
    subprocess.run([sys.executable, "-m", "shared.sleutelkluis", "migrate"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "services.intake", "migrate"], env=env, check=True)
    _, processen = supervisor.lees_platform()
    pids = []
    # The router logs in as itself: these tests exercise its ACLs (env stays the super user's,
    # as the base of the other fixtures' processes).
    als_intake = {**env, **kafka_broker.als("intake").omgeving()}
    try:
        for p in processen:
            if p.naam.startswith("intake-"):
                pids.append(supervisor.start(p, run_dir, als_intake))
        api = f"http://127.0.0.1:{poort}"
        # Mondriaan, the partner most tests send for, signed every house's covenant long ago
        # (a test of the covenant itself signs through regie, or leaves a partner unsigned).
        for huis in HuisId:
            laat_melden(kafka_broker.beheer.kafka_python_opties(), api, huis.value, "Mondriaan")
        yield IntakeDeployment(kafka_broker.beheer, postgres_server.url("intake"),
                               f"http://127.0.0.1:{poort}", env, run_dir, kafka_broker)
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)
        # a test that restarted one of them left the new pid in its pid file
        for pidbestand in run_dir.glob("intake-*.pid"):
            supervisor.stop_pid(int(pidbestand.read_text()))


@dataclass
class Keten:
    """Triage and regie processes running after intake, against the same broker and PostgreSQL."""

    intake: IntakeDeployment
    triage: str
    regie: str
    env: dict[str, str]
    run_dir: Path
    pids: dict[str, int]

    def herstart(self, naam: str, *, hard: bool = False) -> None:
        """Stop one process (SIGKILL when hard, else SIGTERM) and start it again."""
        pid = self.pids.pop(naam)
        if hard:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        supervisor.stop_pid(pid)
        [p] = [p for p in supervisor.lees_platform()[1] if p.naam == naam]
        self.pids[naam] = supervisor.start(p, self.run_dir, self.env)


@pytest.fixture(scope="session")
def keten(kafka_broker, intake, postgres_server, tmp_path_factory) -> Iterator[Keten]:  # type: ignore[no-untyped-def]
    """The chain after intake: triage and regie (api and worker each) and reporting's worker as
    real processes, serving Maastricht-Heuvelland and logged in as that house (its ACLs must
    suffice)."""
    from shared.devstack import postgres

    for naam in ("triage", "regie", "reporting"):
        postgres.create_database(postgres_server, naam)
    triage_poort, regie_poort = free_port(), free_port()
    triage, regie = f"http://127.0.0.1:{triage_poort}", f"http://127.0.0.1:{regie_poort}"
    env = {**intake.env,
           "VHH_TRIAGE_DATABASE_URL": postgres_server.url("triage"),
           "VHH_REGIE_DATABASE_URL": postgres_server.url("regie"),
           "VHH_REPORTING_DATABASE_URL": postgres_server.url("reporting"),
           "VHH_TRIAGE_HTTP_PORT": str(triage_poort), "VHH_REGIE_HTTP_PORT": str(regie_poort),
           "VHH_WERKBANK_TRIAGE_URL": triage, "VHH_WERKBANK_REGIE_URL": regie,
           "VHH_WERKBANK_INTAKE_URL": intake.api,
           "VHH_REGIE_KLOK_INTERVAL": "0.5",
           # The journeys run in Maastricht-Heuvelland; other tests fill other houses' topics
           # (reporting sends a whole year to Midden-Limburg) that these need not read.
           "VHH_TRIAGE_HUIZEN": '["maastricht-heuvelland"]',
           "VHH_REGIE_HUIZEN": '["maastricht-heuvelland"]',
           "VHH_REPORTING_HUIZEN": '["maastricht-heuvelland"]',
           **kafka_broker.als("huis-maastricht-heuvelland").omgeving(),
           # the names a house deployment uses (shared/huisdeployment.py), under its prefix ACLs
           "VHH_TRIAGE_INSTANTIE": "maastricht-heuvelland.triage",
           "VHH_REGIE_INSTANTIE": "maastricht-heuvelland.regie",
           "VHH_REPORTING_INSTANTIE": "maastricht-heuvelland.reporting"}
    for service in ("triage", "regie", "reporting"):
        subprocess.run([sys.executable, "-m", f"services.{service}", "migrate"], env=env,
                       check=True)
    run_dir = tmp_path_factory.mktemp("keten-run")
    # triage's clock runs ahead by the seconds in this file (none: not at all), so that a test
    # reaches the end of the Dutch day without waiting for it (shared.kit.klok.verschoven)
    env["VHH_TRIAGE_KLOK_BESTAND"] = str(run_dir / "triage-klok")
    env["VHH_TRIAGE_KLOK_INTERVAL"] = "0.5"
    k = Keten(intake, triage, regie, env, run_dir, {})
    try:
        for p in supervisor.lees_platform()[1]:
            if p.naam.startswith(("triage-", "regie-")) or p.naam == "reporting-worker":
                k.pids[p.naam] = supervisor.start(p, run_dir, env)
        yield k
    finally:
        for pid in k.pids.values():
            supervisor.stop_pid(pid)


@dataclass(frozen=True)
class TestKeycloak:
    """The session's Keycloak with the realms of deploy/keycloak; tokens by the password grant
    of the realms' ``vhh-test`` clients (a user's password is ``<user>-wachtwoord``)."""

    keycloak: Any

    @property
    def issuer(self) -> str:
        return str(self.keycloak.issuer())

    @property
    def werkbank_geheim(self) -> str:
        """The workbench client's secret in the development realm."""
        from shared.devstack.keycloak import REALM

        realm = json.loads((Path(__file__).resolve().parents[1] / "deploy" / "keycloak"
                            / f"{REALM}-realm.json").read_text())
        [client] = [c for c in realm["clients"] if c["clientId"] == "vhh-werkbank"]
        return str(client["secret"])

    def tokens(self, gebruiker: str, *, realm: str | None = None,
               client: str = "vhh-test") -> dict[str, Any]:
        """The provider's answer to the password grant: access_token, id_token, ..."""
        import httpx

        url = self.keycloak.issuer(realm) if realm else self.issuer
        antwoord = httpx.post(f"{url}/protocol/openid-connect/token", timeout=30, data={
            "grant_type": "password", "client_id": client, "username": gebruiker,
            "password": f"{gebruiker}-wachtwoord", "scope": "openid"})
        return dict(antwoord.raise_for_status().json())

    def kop(self, gebruiker: str, **kw: Any) -> dict[str, str]:
        """An Authorization header with an access token of ``gebruiker``."""
        return {"Authorization": f"Bearer {self.tokens(gebruiker, **kw)['access_token']}"}


@pytest.fixture(scope="session")
def keycloak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestKeycloak]:
    """One Keycloak per test run (development mode, on a free port) with the realms of
    deploy/keycloak imported; stopped by its pid."""
    from shared.devstack import keycloak

    data_dir = tmp_path_factory.mktemp("keycloak")
    kc = keycloak.start(data_dir)
    try:
        yield TestKeycloak(kc)
    finally:
        keycloak.stop(data_dir)
        shutil.rmtree(data_dir / "home", ignore_errors=True)  # a copy of the distribution


SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Chromium from Debian's packages, driven by its own chromedriver, headless."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opties = webdriver.ChromeOptions()
    opties.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for vlag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--window-size=1280,1000", "--lang=nl-NL"):
        opties.add_argument(vlag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=opties, service=service)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def schermafdruk(browser, request):  # type: ignore[no-untyped-def]
    """schermafdruk("naam") saves the page as var/screenshots/<test>-<naam>.png, after the
    accessibility check (axe-core, WCAG 2.1 AA) passed on it: every page the browser tier shows
    is checked."""
    from tests import toegankelijkheid

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def opslaan(naam: str) -> Path:
        pad = SCREENSHOTS / f"{request.node.name}-{naam}.png"
        browser.save_screenshot(str(pad))
        toegankelijkheid.controleer(browser, f"{request.node.name}-{naam}")
        return pad

    return opslaan
