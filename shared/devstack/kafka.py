"""Local Apache Kafka (KRaft, broker+controller per node), built from Maven jars: one node
(``start``), or a cluster of N combined nodes (``start_cluster``: ``root/node-<id>``, one set
of passwords and one cluster id, replication 3 and min.insync.replicas 2 from three nodes on).

The classpath comes from ``deploy/kafka/pom.xml`` (fetched once into
``.cache/kafka/libs``); each broker lives in its own data directory holding
``server.properties``, the KRaft log dirs, ``kafka.log``, ``kafka.pid``, the
chosen ports (``devstack.json``) and the generated passwords (``credentials.json``).

Clients reach the broker only through a SASL_PLAINTEXT listener with SCRAM-SHA-512; the
StandardAuthorizer denies whatever no ACL allows. The super user ``beheer`` (created at
format time) administers topics, principals and ACLs (``shared/kafka_acls.py``). The
controller listener uses SASL/PLAIN with one static user, ``controller``: SCRAM credentials
live in the metadata log, which the controller cannot read before it authenticates.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.errors import KafkaError

from shared.devstack import (
    REPO_ROOT,
    DevstackError,
    cmdline,
    file_lock,
    is_alive,
    log_size,
    log_tail,
    poll_until,
    read_log,
    read_pid,
    read_state,
    remove_file,
    spawn,
    terminate,
    write_pid,
    write_state,
)
from shared.devstack.ports import HOST, free_ports, is_free

STARTED_LINE = "Kafka Server started"
"""Logged by kafka.server.KafkaRaftServer once broker and controller are up."""

_MARKER = ".devstack-complete.json"
_MAIN_CLASS = "kafka.Kafka"
SUPER_USER = "beheer"
"""The administrator: a super user, the only principal the broker knows after formatting."""
_CONTROLLER_USER = "controller"
SCRAM = "SCRAM-SHA-512"


@dataclass(frozen=True)
class KafkaBroker:
    """A running local broker."""

    data_dir: Path
    port: int
    controller_port: int
    pid: int
    wachtwoord: str = field(repr=False, compare=False, default="")
    """The super user's password."""

    @property
    def bootstrap(self) -> str:
        """The ``bootstrap_servers`` value for clients."""
        return f"{HOST}:{self.port}"

    @property
    def gebruiker(self) -> str:
        return SUPER_USER

    @property
    def credentials(self) -> Path:
        """The generated passwords of this broker (``{"beheer": ..., ...}``): never commit."""
        return self.data_dir / "credentials.json"

    def kafka_python_opties(self) -> dict[str, str]:
        """kafka-python keyword arguments to connect as the super user."""
        return {"bootstrap_servers": self.bootstrap, "security_protocol": "SASL_PLAINTEXT",
                "sasl_mechanism": SCRAM, "sasl_plain_username": SUPER_USER,
                "sasl_plain_password": self.wachtwoord}


@dataclass(frozen=True)
class _Paths:
    """The files a broker keeps in its data directory."""

    data_dir: Path

    @property
    def config(self) -> Path:
        return self.data_dir / "server.properties"

    @property
    def log_dirs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def meta(self) -> Path:
        # Written by StorageTool format; its presence means the node is formatted.
        return self.log_dirs / "meta.properties"

    @property
    def log(self) -> Path:
        return self.data_dir / "kafka.log"

    @property
    def pid(self) -> Path:
        return self.data_dir / "kafka.pid"

    @property
    def state(self) -> Path:
        return self.data_dir / "devstack.json"

    @property
    def lock(self) -> Path:
        return self.data_dir / ".devstack.lock"

    @property
    def credentials(self) -> Path:
        return self.data_dir / "credentials.json"


# -- classpath -------------------------------------------------------------------------


def ensure_jars(repo_root: Path | None = None) -> Path:
    """Make sure the broker jars are in ``<repo_root>/.cache/kafka/libs`` and return that dir.

    Maven runs only when the folder is missing or incomplete: a marker written after a
    successful fetch records a hash of ``pom.xml`` and the jar names, so a changed pom
    refetches and a deleted jar is noticed.
    """
    root = (repo_root or REPO_ROOT).resolve()
    pom = root / "deploy" / "kafka" / "pom.xml"
    libs = root / ".cache" / "kafka" / "libs"
    pom_hash = hashlib.sha256(pom.read_bytes()).hexdigest()
    if _jars_complete(libs, pom_hash):
        return libs
    with file_lock(libs.parent / ".lock"):
        # Another process may have fetched them while we waited for the lock.
        if not _jars_complete(libs, pom_hash):
            _fetch_jars(pom, libs, pom_hash)
    return libs


def _jars_complete(libs: Path, pom_hash: str) -> bool:
    try:
        marker = json.loads((libs / _MARKER).read_text())
    except (OSError, ValueError):
        return False
    jars = marker.get("jars") or []
    return marker.get("pom_sha256") == pom_hash and all((libs / j).is_file() for j in jars)


def _fetch_jars(pom: Path, libs: Path, pom_hash: str) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise DevstackError(
            "Maven ('mvn') is not on PATH; it is needed once to fetch the Kafka jars "
            f"listed in {pom} (e.g. `apt-get install -y maven`)."
        )
    # Start clean so jars of an older pom do not linger on the classpath.
    shutil.rmtree(libs, ignore_errors=True)
    cmd = [
        mvn, "-q", "-B", "-f", str(pom),
        "dependency:copy-dependencies", f"-DoutputDirectory={libs}",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()[-40:]
        raise DevstackError(
            f"fetching Kafka jars failed (exit {result.returncode}): {' '.join(cmd)}\n"
            + "\n".join(output)
        )
    jars = sorted(p.name for p in libs.glob("*.jar"))
    if not jars:
        raise DevstackError(f"mvn succeeded but left no jars in {libs}")
    marker = {"pom_sha256": pom_hash, "jars": jars}
    (libs / _MARKER).write_text(json.dumps(marker, indent=2) + "\n")


# -- lifecycle -------------------------------------------------------------------------


def status(data_dir: Path) -> KafkaBroker | None:
    """The broker running for ``data_dir``, or None."""
    paths = _Paths(data_dir.resolve())
    pid = read_pid(paths.pid)
    if pid is None or not _is_our_broker(pid, paths):
        return None
    state = read_state(paths.state)
    if "port" not in state or "controller_port" not in state:
        return None
    try:  # read only: asking for the status creates nothing
        wachtwoord = json.loads(paths.credentials.read_text()).get(SUPER_USER, "")
    except (OSError, ValueError):
        wachtwoord = ""
    return KafkaBroker(paths.data_dir, state["port"], state["controller_port"], pid, wachtwoord)


def saved_ports(data_dir: Path) -> tuple[int, int] | None:
    """The (port, controller_port) recorded for ``data_dir`` by an earlier start, if any."""
    state = read_state(_Paths(data_dir.resolve()).state)
    if "port" in state and "controller_port" in state:
        return state["port"], state["controller_port"]
    return None


def start(
    data_dir: Path,
    port: int | None = None,
    controller_port: int | None = None,
    timeout: float = 90,
    heap: str = "512m",
) -> KafkaBroker:
    """Start (or return the already running) broker for ``data_dir``; wait until it serves.

    Ports default to the ones recorded by an earlier start, else to free ports. The node
    is formatted on first use only, so a restart keeps its topics and data. A broker that
    already runs for ``data_dir`` is returned as is (its ports win over the arguments).
    """
    paths = _Paths(data_dir.resolve())
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    # Serialise concurrent starts of the same data dir (e.g. parallel test sessions):
    # the second caller waits and then finds the first one's broker running.
    with file_lock(paths.lock):
        return status(paths.data_dir) or _start(paths, port, controller_port, timeout, heap)


JVM_OPTIES = ["-XX:TieredStopAtLevel=1"]
"""The local broker's code is compiled by the JVM's quick compiler only. A broker started for
`make run` or a test session spent half its CPU in its first minutes in the optimising
compiler (C2): 5 of 11 CPU seconds while the first 3,362 meldingen went through, on a machine
whose two cores the services and the tests need. Its request handling then costs about a
quarter more per request than optimised code would; a production broker (Strimzi) keeps the
JVM's defaults."""


def _start(
    paths: _Paths, port: int | None, controller_port: int | None, timeout: float, heap: str
) -> KafkaBroker:
    libs = ensure_jars()
    java = _java()
    port, controller_port = _choose_ports(paths, port, controller_port)
    if paths.meta.exists() and not paths.credentials.exists():
        raise DevstackError(
            f"{paths.data_dir} was formatted without authentication (before SASL/SCRAM); "
            "its super user does not exist. Remove it (`make clean`) to start over."
        )
    wachtwoorden = _credentials(paths)
    _write_config(paths, port, controller_port, wachtwoorden)
    if not paths.meta.exists():
        _format(java, libs, paths, wachtwoorden[SUPER_USER])
    write_state(paths.state, {"port": port, "controller_port": controller_port})

    offset = log_size(paths.log)
    cmd = [java, f"-Xmx{heap}", *JVM_OPTIES, "-cp", f"{libs}/*", _log4j_option(), _MAIN_CLASS,
           str(paths.config)]
    pid = spawn(cmd, log_path=paths.log, cwd=paths.data_dir)
    write_pid(paths.pid, pid)
    broker = KafkaBroker(paths.data_dir, port, controller_port, pid, wachtwoorden[SUPER_USER])

    def ready() -> bool:
        # The log line says the server finished starting; the metadata request proves
        # that clients can actually reach it (and log in) on the advertised listener.
        return STARTED_LINE in read_log(paths.log, offset) and _answers_metadata(broker)

    outcome = poll_until(ready, pid=pid, timeout=timeout)
    if outcome != "ready":
        terminate(pid, [(signal.SIGKILL, 10)], group=True)
        remove_file(paths.pid)
        why = "exited during startup" if outcome == "exited" else f"not ready after {timeout}s"
        raise DevstackError(
            f"Kafka broker in {paths.data_dir} {why}; last lines of {paths.log}:\n"
            + log_tail(paths.log, offset)
        )
    return broker


def stop(data_dir: Path, timeout: float = 30) -> bool:
    """Stop the broker recorded for ``data_dir``; True if one was running."""
    paths = _Paths(data_dir.resolve())
    broker = status(paths.data_dir)
    if broker is None:
        remove_file(paths.pid)  # stale: the recorded process is gone or is not our broker
        return False
    terminate(broker.pid, [(signal.SIGTERM, timeout), (signal.SIGKILL, 10)], group=True)
    remove_file(paths.pid)
    return True


# -- cluster ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KafkaCluster:
    """A running local cluster of combined (broker+controller) KRaft nodes."""

    root: Path
    nodes: tuple[KafkaBroker, ...]
    """The nodes that run, in node-id order (a stopped node is missing)."""
    wachtwoord: str = field(repr=False, compare=False, default="")

    @property
    def bootstrap(self) -> str:
        return ",".join(n.bootstrap for n in self.nodes)

    @property
    def gebruiker(self) -> str:
        return SUPER_USER

    @property
    def credentials(self) -> Path:
        return self.root / "credentials.json"

    def kafka_python_opties(self) -> dict[str, str]:
        """kafka-python keyword arguments to connect as the super user."""
        return {**self.nodes[0].kafka_python_opties(), "bootstrap_servers": self.bootstrap}

    def node(self, node_id: int) -> KafkaBroker | None:
        """The running node with this id (1..n), or None."""
        return next((n for n in self.nodes if _node_id(n.data_dir) == node_id), None)


def node_dir(root: Path, node_id: int) -> Path:
    """The data directory of node ``node_id`` (1..n) of the cluster in ``root``."""
    return root.resolve() / f"node-{node_id}"


def _node_id(data_dir: Path) -> int:
    return int(data_dir.name.removeprefix("node-"))


def _cluster_state(root: Path) -> dict[str, int]:
    return read_state(root.resolve() / "cluster.json")


def cluster_status(root: Path) -> KafkaCluster | None:
    """The cluster started in ``root`` with its running nodes, or None if none runs."""
    state = _cluster_state(root)
    aantal = state.get("brokers", 0)
    nodes = tuple(b for i in range(1, aantal + 1) if (b := status(node_dir(root, i))))
    if not nodes:
        return None
    try:
        wachtwoord = json.loads((root.resolve() / "credentials.json").read_text())[SUPER_USER]
    except (OSError, ValueError, KeyError):
        wachtwoord = ""
    return KafkaCluster(root.resolve(), nodes, wachtwoord)


def start_cluster(root: Path, brokers: int = 3, timeout: float = 180,
                  heap: str = "384m") -> KafkaCluster:
    """Start (or complete) a cluster of ``brokers`` combined KRaft nodes in ``root``, each in
    ``root/node-<id>`` on its own free ports, with SASL/SCRAM and ACLs as the single node; wait
    until every node serves. A cluster formatted before keeps its ports, id and data; nodes
    that already run are left alone (start_cluster after a killed node restarts that node)."""
    if brokers < 1:
        raise DevstackError(f"a cluster needs at least one node, not {brokers}")
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    with file_lock(root / ".devstack.lock"):
        state = _cluster_state(root)
        if state and state.get("brokers") != brokers:
            raise DevstackError(f"{root} holds a cluster of {state.get('brokers')} nodes, not "
                                f"{brokers}; remove it to start over")
        libs, java = ensure_jars(), _java()
        if not state:
            poorten = free_ports(2 * brokers)
            state = {"brokers": brokers}
            for i in range(1, brokers + 1):
                state[f"port.{i}"], state[f"controller_port.{i}"] = poorten[2 * i - 2:2 * i]
        voters = ",".join(f"{i}@{HOST}:{state[f'controller_port.{i}']}"
                          for i in range(1, brokers + 1))
        wachtwoorden = _credentials(_Paths(root))  # one set of passwords for every node
        cluster_id = None
        gestart: list[tuple[_Paths, KafkaBroker, int]] = []
        for i in range(1, brokers + 1):
            paths = _Paths(node_dir(root, i))
            paths.data_dir.mkdir(exist_ok=True)
            if status(paths.data_dir) is not None:
                continue
            schrijf_credentials(paths.credentials, wachtwoorden)
            port, cport = state[f"port.{i}"], state[f"controller_port.{i}"]
            _write_config(paths, port, cport, wachtwoorden, node_id=i, voters=voters,
                          brokers=brokers)
            if not paths.meta.exists():
                # Every node of one cluster carries the same cluster id.
                cluster_id = cluster_id or _opgeslagen_cluster_id(root) or _cluster_id(java, libs)
                _format(java, libs, paths, wachtwoorden[SUPER_USER], cluster_id)
                (root / "cluster-id").write_text(cluster_id)
            write_state(paths.state, {"port": port, "controller_port": cport})
            offset = log_size(paths.log)
            cmd = [java, f"-Xmx{heap}", *JVM_OPTIES, "-cp", f"{libs}/*", _log4j_option(),
                   _MAIN_CLASS, str(paths.config)]
            pid = spawn(cmd, log_path=paths.log, cwd=paths.data_dir)
            write_pid(paths.pid, pid)
            gestart.append((paths, KafkaBroker(paths.data_dir, port, cport, pid,
                                               wachtwoorden[SUPER_USER]), offset))
        write_state(root / "cluster.json", state)
        # The nodes start together: none serves before a quorum of controllers has formed.
        for paths, broker, offset in gestart:
            _wacht_op(paths, broker, offset, timeout)
    cluster = cluster_status(root)
    assert cluster is not None
    return cluster


def _opgeslagen_cluster_id(root: Path) -> str | None:
    try:
        return (root / "cluster-id").read_text().strip() or None
    except OSError:
        return None


def _wacht_op(paths: _Paths, broker: KafkaBroker, offset: int, timeout: float) -> None:
    def ready() -> bool:
        return STARTED_LINE in read_log(paths.log, offset) and _answers_metadata(broker)

    outcome = poll_until(ready, pid=broker.pid, timeout=timeout)
    if outcome != "ready":
        terminate(broker.pid, [(signal.SIGKILL, 10)], group=True)
        remove_file(paths.pid)
        why = "exited during startup" if outcome == "exited" else f"not ready after {timeout}s"
        raise DevstackError(f"Kafka node in {paths.data_dir} {why}; last lines of {paths.log}:\n"
                            + log_tail(paths.log, offset))


def stop_cluster(root: Path, timeout: float = 30) -> bool:
    """Stop every node of the cluster in ``root``, each by its own pid; True if one ran."""
    state = _cluster_state(root)
    gestopt = False
    for i in range(1, state.get("brokers", 0) + 1):
        gestopt = stop(node_dir(root, i), timeout) or gestopt
    return gestopt


# -- helpers ---------------------------------------------------------------------------


def _is_our_broker(pid: int, paths: _Paths) -> bool:
    # Guards against pid reuse: the process must be java running kafka.Kafka with this
    # data dir's server.properties, otherwise the pid belongs to someone else.
    args = cmdline(pid)
    return (
        is_alive(pid)
        and bool(args)
        and Path(args[0]).name == "java"
        and _MAIN_CLASS in args
        and str(paths.config) in args
    )


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise DevstackError("'java' is not on PATH; the Kafka broker needs a JRE 17+")
    return java


def _log4j_option() -> str:
    return f"-Dlog4j2.configurationFile={REPO_ROOT / 'deploy' / 'kafka' / 'log4j2.properties'}"


def _choose_ports(paths: _Paths, port: int | None, controller_port: int | None) -> tuple[int, int]:
    saved = saved_ports(paths.data_dir)
    if saved is not None:
        saved_port, saved_cport = saved
        # The controller port is part of the quorum voter address of a formatted node.
        if controller_port not in (None, saved_cport) and paths.meta.exists():
            raise DevstackError(
                f"{paths.data_dir} was formatted with controller port {saved_cport}; "
                f"it cannot move to {controller_port} (delete the data dir to start over)"
            )
        port = saved_port if port is None else port
        controller_port = saved_cport if controller_port is None else controller_port
    taken = {p for p in (port, controller_port) if p is not None}
    spare = iter(free_ports(2 - len(taken), exclude=taken))
    port = port if port is not None else next(spare)
    controller_port = controller_port if controller_port is not None else next(spare)
    if port == controller_port:
        raise DevstackError(f"broker and controller port must differ (both {port})")
    for p in (port, controller_port):
        if not is_free(p):
            raise DevstackError(
                f"port {p} on {HOST} is in use; stop whatever listens there or pass other ports"
            )
    return port, controller_port


def _credentials(paths: _Paths) -> dict[str, str]:
    """The broker's own passwords, generated on first use and kept (0600) in the data dir."""
    try:
        wachtwoorden: dict[str, str] = json.loads(paths.credentials.read_text())
    except (OSError, ValueError):
        wachtwoorden = {}
    ontbrekend = [n for n in (SUPER_USER, _CONTROLLER_USER) if n not in wachtwoorden]
    if ontbrekend:
        # Hex: the StorageTool's --add-scram syntax splits on ',' '=' and ']'.
        wachtwoorden.update({n: secrets.token_hex(24) for n in ontbrekend})
        schrijf_credentials(paths.credentials, wachtwoorden)
    return wachtwoorden


def schrijf_credentials(pad: Path, wachtwoorden: dict[str, str]) -> None:
    """Write a passwords file readable by its owner only."""
    pad.parent.mkdir(parents=True, exist_ok=True)
    tijdelijk = pad.with_suffix(".tmp")
    tijdelijk.touch()
    tijdelijk.chmod(0o600)
    tijdelijk.write_text(json.dumps(wachtwoorden, indent=2, sort_keys=True) + "\n")
    tijdelijk.replace(pad)


def replicatie_voor(brokers: int) -> tuple[int, int]:
    """(replication factor, min.insync.replicas) for a cluster of ``brokers`` nodes: 3 and 2
    from three nodes on (one node may fail without stopping a producer with acks=all), 1 and 1
    on a single node."""
    return min(brokers, 3), 2 if brokers >= 3 else 1


def _write_config(paths: _Paths, port: int, controller_port: int,
                  wachtwoorden: dict[str, str], node_id: int = 1,
                  voters: str | None = None, brokers: int = 1) -> None:
    beheer, controller = wachtwoorden[SUPER_USER], wachtwoorden[_CONTROLLER_USER]
    rf, min_isr = (str(n) for n in replicatie_voor(brokers))
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(node_id),
        "controller.quorum.voters": voters or f"{node_id}@{HOST}:{controller_port}",
        # No PLAINTEXT listener at all: a client that does not log in cannot connect.
        "listeners": f"SASL_PLAINTEXT://{HOST}:{port},CONTROLLER://{HOST}:{controller_port}",
        "advertised.listeners": f"SASL_PLAINTEXT://{HOST}:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "SASL_PLAINTEXT",
        "listener.security.protocol.map": "SASL_PLAINTEXT:SASL_PLAINTEXT,"
                                          "CONTROLLER:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms": SCRAM,
        "sasl.mechanism.inter.broker.protocol": SCRAM,
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config":
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{SUPER_USER}" password="{beheer}";',
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config":
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
            f'username="{_CONTROLLER_USER}" password="{controller}" '
            f'user_{_CONTROLLER_USER}="{controller}";',
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found": "false",
        "super.users": f"User:{SUPER_USER};User:{_CONTROLLER_USER}",
        "log.dirs": str(paths.log_dirs),
        # A single node cannot hold more than one replica; a cluster keeps three, of which
        # two must have a write before it counts (replicatie_voor). One partition each keeps
        # the first consumer group / transaction fast to set up.
        "offsets.topic.replication.factor": rf,
        "offsets.topic.num.partitions": "1",
        "transaction.state.log.replication.factor": rf,
        "transaction.state.log.min.isr": min_isr,
        "transaction.state.log.num.partitions": "1",
        "share.coordinator.state.topic.replication.factor": rf,
        "share.coordinator.state.topic.min.isr": min_isr,
        "min.insync.replicas": min_isr,
        "default.replication.factor": rf,
        # No waiting for more group members to show up: tests join alone.
        "group.initial.rebalance.delay.ms": "0",
        # Topics come from the contracts, not from typos in producer code.
        "auto.create.topics.enable": "false",
        # Segments past their retention, or below a start offset moved by an erasure, leave
        # the disk within seconds (defaults: checked every 5 minutes, removed a minute later).
        "log.retention.check.interval.ms": "5000",
        "log.segment.delete.delay.ms": "1000",
    }
    text = "".join(f"{key}={value}\n" for key, value in settings.items())
    paths.config.touch()
    paths.config.chmod(0o600)  # it holds the passwords of beheer and controller
    paths.config.write_text("# Written by shared/devstack/kafka.py; regenerated on start.\n" + text)


def _storage_tool(java: str, libs: Path, *args: str | os.PathLike[str]) -> str:
    cmd = [java, "-cp", f"{libs}/*", _log4j_option(), "kafka.tools.StorageTool", *map(str, args)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DevstackError(
            f"kafka StorageTool {args[0]} failed (exit {result.returncode}):\n"
            + (result.stdout + result.stderr).strip()
        )
    return result.stdout


def _cluster_id(java: str, libs: Path) -> str:
    output = _storage_tool(java, libs, "random-uuid")
    # Log lines may precede the id; a Kafka Uuid prints as 22 URL-safe base64 characters.
    ids = re.findall(r"^[A-Za-z0-9_-]{22}$", output, flags=re.MULTILINE)
    if not ids:
        raise DevstackError(f"kafka StorageTool random-uuid printed no cluster id:\n{output}")
    return ids[-1]


def _format(java: str, libs: Path, paths: _Paths, wachtwoord: str,
            cluster_id: str | None = None) -> None:
    cluster_id = cluster_id or _cluster_id(java, libs)
    # No --standalone: it conflicts with the static controller.quorum.voters in the config.
    # The super user must exist before the broker starts: nobody else may create principals.
    _storage_tool(java, libs, "format", "-t", cluster_id, "-c", paths.config,
                  "--add-scram", f"{SCRAM}=[name={SUPER_USER},password={wachtwoord}]")
    if not paths.meta.exists():
        raise DevstackError(f"formatting left no {paths.meta}")


def _answers_metadata(broker: KafkaBroker) -> bool:
    try:
        admin = KafkaAdminClient(
            **broker.kafka_python_opties(),
            client_id="devstack-readiness",
            bootstrap_timeout_ms=2000,
            request_timeout_ms=2000,
        )
    except KafkaError:
        return False
    try:
        admin.list_topics()
    except KafkaError:
        return False
    finally:
        admin.close()
    return True
