"""Manifests for a Kubernetes cluster with the Strimzi operator, generated from the same plan,
topic registry and ACL derivation as `vhh run`, `vhh topics apply` and `vhh acls apply`.

`vhh manifests` writes them into deploy/kubernetes/generated/: a Strimzi ``Kafka`` cluster in
KRaft mode on a ``KafkaNodePool`` of three nodes (replication 3, min.insync.replicas 2), a
``KafkaTopic`` per registry topic, a ``KafkaUser`` per principal with its ACLs, and per part of
the plan (the province's intake and nazorg, every house's own services) a migration ``Job`` per
database and a ``Deployment`` (with a ``Service`` for an API) per process. Secrets are referenced
(``secretKeyRef``), never written: the Kafka passwords are the ``KafkaUser`` secrets the User
Operator creates, the rest lives in secrets the operator of a house creates (``GEHEIMEN``).

Every long-running part runs as several copies (``EXEMPLAREN``): the APIs and the consumers
(intake's feeds) as one Deployment with ``replicas``; a process with an outbox relay (intake's
relay, every service's worker) as one Deployment per copy, each told which copy it is
(``VHH_EXEMPLAAR`` of ``VHH_EXEMPLAREN``), so each copy has its own transactional id and share
of the outbox, and a restarted copy fences only its own predecessor. The clocks in the workers
take a PostgreSQL advisory lock per round, so they run in every copy and fire once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from shared import kafka_acls, procesplan
from shared.contracts.topics import Topic, alle_topics
from shared.procesplan import Deel
from shared.settings import REPO

UIT = REPO / "deploy" / "kubernetes" / "generated"
NAMESPACE = "vhh"
CLUSTER = "vhh"
"""The Strimzi Kafka cluster's name: bootstrap service vhh-kafka-bootstrap."""
BOOTSTRAP = f"{CLUSTER}-kafka-bootstrap:9092"
IMAGE = "registry.example.org/vhh-limburg:latest"
"""Built from deploy/kubernetes/Containerfile; the operator pushes it to the house's registry."""
REPLICATIE, MIN_INSYNC = 3, 2
GEHEIMEN = "vhh-geheimen"
"""The Secret a house's operator creates (kubectl create secret generic vhh-geheimen ...) with
the keys below; database URLs are in ``vhh-databases``, one key per database."""
GEHEIME_SLEUTELS = ("VHH_SLEUTELKLUIS_MEESTERSLEUTEL", "VHH_AUDIT_SLEUTEL", "VHH_AUTH_SLEUTEL")
EIGEN_GEHEIMEN = {"VHH_INTAKE_DATABASE_URL": ("VHH_INTAKE_PSEUDONIEM_SLEUTEL",),
                  "VHH_REGIE_DATABASE_URL": ("VHH_REGIE_PSEUDONIEM_SLEUTEL",)}
"""The secrets only one service holds (its person index's key), which production requires of
it: a part gets those of the services whose database it uses, no other."""
DATABASES = "vhh-databases"
GEREED = "/tmp/gereed"
"""The file a process creates once it is ready (--gereed-bestand): the probes look at it."""
EXEMPLAREN = {"api": 2, "feeds": 2, "worker": 2, "relay": 2}
"""Copies of each kind of process (by its role): at most the partitions of the topics a
consumer reads (the rest would idle), at least two for availability."""
MET_RELAY = frozenset({"worker", "relay"})
"""Roles whose process runs an outbox relay: a Deployment per copy, each with its number."""

_OPERATIES = {"READ": "Read", "WRITE": "Write", "DESCRIBE": "Describe", "DELETE": "Delete",
              "CREATE": "Create", "ALTER": "Alter", "IDEMPOTENT_WRITE": "IdempotentWrite",
              "DESCRIBE_CONFIGS": "DescribeConfigs", "ALTER_CONFIGS": "AlterConfigs"}
_SOORTEN = {"TOPIC": "topic", "GROUP": "group", "TRANSACTIONAL_ID": "transactionalId",
            "CLUSTER": "cluster"}
_PATRONEN = {kafka_acls.LETTERLIJK: "literal", kafka_acls.PREFIX: "prefix"}


def _naam(tekst: str) -> str:
    """A Kubernetes object name (RFC 1123): lower case, digits, '-' and '.'."""
    return re.sub(r"[^a-z0-9.-]+", "-", tekst.lower()).strip("-.")[:253]


def _label(tekst: str) -> str:
    return _naam(tekst).replace(".", "-")[:63].strip("-")


def _meta(naam: str, **labels: str) -> dict[str, Any]:
    return {"name": naam, "namespace": NAMESPACE,
            "labels": {"app.kubernetes.io/part-of": "vhh-limburg", **labels}}


# -- Kafka ------------------------------------------------------------------------------


def kafka_cluster() -> list[dict[str, Any]]:
    """A KRaft cluster of three combined nodes, SCRAM-SHA-512 clients, simple authorization."""
    pool = {"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaNodePool",
            "metadata": _meta("knooppunten", **{"strimzi.io/cluster": CLUSTER}),
            "spec": {"replicas": 3, "roles": ["controller", "broker"],
                     "storage": {"type": "jbod", "volumes": [
                         {"id": 0, "type": "persistent-claim", "size": "20Gi",
                          "deleteClaim": False, "kraftMetadata": "shared"}]},
                     "resources": {"requests": {"cpu": "500m", "memory": "2Gi"},
                                   "limits": {"memory": "2Gi"}}}}
    kafka = {"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "Kafka",
             "metadata": {**_meta(CLUSTER), "annotations": {"strimzi.io/kraft": "enabled",
                                                            "strimzi.io/node-pools": "enabled"}},
             "spec": {"kafka": {
                 "listeners": [{"name": "scram", "port": 9092, "type": "internal",
                                "tls": False,
                                "authentication": {"type": "scram-sha-512"}}],
                 "authorization": {"type": "simple", "superUsers": [kafka_acls.BEHEER]},
                 "config": {"default.replication.factor": REPLICATIE,
                            "min.insync.replicas": MIN_INSYNC,
                            "offsets.topic.replication.factor": REPLICATIE,
                            "transaction.state.log.replication.factor": REPLICATIE,
                            "transaction.state.log.min.isr": MIN_INSYNC,
                            "auto.create.topics.enable": False}},
                 "entityOperator": {"topicOperator": {}, "userOperator": {}}}}
    return [pool, kafka]


def kafka_topics(topics: Iterable[Topic] | None = None) -> list[dict[str, Any]]:
    """A KafkaTopic per registry topic, as `vhh topics apply` creates it on a cluster."""
    return [{"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaTopic",
             "metadata": _meta(_naam(t.naam), **{"strimzi.io/cluster": CLUSTER}),
             "spec": {"topicName": t.naam, "partitions": t.partities, "replicas": REPLICATIE,
                      "config": {**t.config(), "min.insync.replicas": str(MIN_INSYNC)}}}
            for t in (topics if topics is not None else alle_topics())]


def kafka_users(regels: Iterable[kafka_acls.Regel] | None = None) -> list[dict[str, Any]]:
    """A KafkaUser (SCRAM-SHA-512) per principal with the ACLs `vhh acls list` derives; the
    super user ``beheer`` is a superUser of the cluster and needs none."""
    per_principal: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in regels if regels is not None else kafka_acls.gewenste_regels():
        per_principal[r.principal].append({
            "type": "allow", "host": "*", "operations": [_OPERATIES[r.operatie]],
            "resource": {"type": _SOORTEN[r.soort], "name": r.naam,
                         "patternType": _PATRONEN[r.patroon]}})
    principals = [kafka_acls.BEHEER, *sorted(per_principal)]
    return [{"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaUser",
             "metadata": _meta(p, **{"strimzi.io/cluster": CLUSTER}),
             "spec": {"authentication": {"type": "scram-sha-512"},
                      **({"authorization": {"type": "simple", "acls": per_principal[p]}}
                         if p in per_principal else {})}}
            for p in principals]


def regels_van(users: Iterable[dict[str, Any]]) -> set[kafka_acls.Regel]:
    """The ACL rules the KafkaUsers grant, as kafka_acls.Regel (to compare with the registry)."""
    soort = {v: k for k, v in _SOORTEN.items()}
    patroon = {v: k for k, v in _PATRONEN.items()}
    operatie = {v: k for k, v in _OPERATIES.items()}
    return {kafka_acls.Regel(u["metadata"]["name"], soort[a["resource"]["type"]],
                             a["resource"]["name"], patroon[a["resource"]["patternType"]],
                             operatie[o])
            for u in users for a in u["spec"].get("authorization", {}).get("acls", [])
            for o in a["operations"]}


# -- the parts --------------------------------------------------------------------------


def _commando(c: list[str]) -> list[str]:
    # The plan names this machine's interpreter; in the image it is `python`.
    return ["python" if "python" in Path(d).name else d for d in c]


def _dienst(c: list[str]) -> tuple[str, str]:
    """(service, role) of ``python -m services.<service> <role>``."""
    module = c[c.index("-m") + 1]
    return module.rsplit(".", 1)[-1], c[-1]


def _services(delen: list[Deel]) -> dict[int, str]:
    """Every API's port -> its Service name."""
    poorten = {}
    for d in delen:
        for p in d.processen:
            dienst, rol = _dienst(p.commando)
            poort = d.instellingen.get(f"VHH_{dienst.upper()}_HTTP_PORT")
            if rol == "api" and poort:
                poorten[int(poort)] = _label(p.naam)
    return poorten


def _instellingen(d: Deel, services: dict[int, str]) -> list[dict[str, Any]]:
    def binnen(waarde: str) -> str:
        # The local plan's URLs (127.0.0.1:<port>) become the cluster's Services.
        return re.sub(r"127\.0\.0\.1:(\d+)", lambda m: f"{services.get(int(m[1]), m[0])}:{m[1]}",
                      waarde)

    env: list[dict[str, Any]] = [
           {"name": "VHH_OMGEVING", "value": "productie"},
           {"name": "VHH_KAFKA_BOOTSTRAP", "value": BOOTSTRAP},
           {"name": "VHH_KAFKA_SECURITY_PROTOCOL", "value": "SASL_PLAINTEXT"},
           {"name": "VHH_KAFKA_GEBRUIKER", "value": d.principal},
           {"name": "VHH_KAFKA_WACHTWOORD", "valueFrom": {"secretKeyRef": {
               "name": d.principal, "key": "password"}}},  # the User Operator's secret
           {"name": "VHH_KAFKA_REPLICATIE", "value": str(REPLICATIE)},
           {"name": "VHH_KAFKA_MIN_INSYNC", "value": str(MIN_INSYNC)}]
    env += [{"name": k, "value": binnen(v)} for k, v in sorted(d.instellingen.items())]
    env += [{"name": k, "valueFrom": {"secretKeyRef": {"name": DATABASES, "key": db}}}
            for k, db in sorted(d.databases.items())]
    env += [{"name": "VHH_SLEUTELKLUIS_DATABASE_URL", "valueFrom": {"secretKeyRef": {
        "name": DATABASES, "key": "sleutelkluis"}}}]
    env += [{"name": k, "valueFrom": {"secretKeyRef": {"name": GEHEIMEN, "key": k}}}
            for k in GEHEIME_SLEUTELS]
    env += [{"name": k, "valueFrom": {"secretKeyRef": {"name": GEHEIMEN, "key": k}}}
            for db in sorted(d.databases) for k in EIGEN_GEHEIMEN.get(db, ())]
    return env


def _container(naam: str, commando: list[str], env: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": naam, "image": IMAGE, "command": commando, "env": env,
            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                          "limits": {"memory": "512Mi"}},
            "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": False}}


def deel(d: Deel, services: dict[int, str]) -> list[dict[str, Any]]:
    """A part's migration Jobs, and a Deployment (and Service for an API) per process."""
    labels = {"vhh.nl/deel": _label(d.naam)}
    env = _instellingen(d, services)
    uit: list[dict[str, Any]] = []
    for m in d.migraties:
        dienst, _ = _dienst(m)
        naam = _label(f"{d.naam}-{dienst}-migrate")
        uit.append({"apiVersion": "batch/v1", "kind": "Job",
                    "metadata": _meta(naam, **labels),
                    "spec": {"backoffLimit": 3, "template": {
                        "metadata": {"labels": labels},
                        "spec": {"restartPolicy": "OnFailure", "containers": [
                            _container("migrate", _commando(m), env)]}}}})
    for p in d.processen:
        dienst, rol = _dienst(p.commando)
        naam = _label(p.naam)
        poort = d.instellingen.get(f"VHH_{dienst.upper()}_HTTP_PORT")
        container = _container(rol, [*_commando(p.commando), "--gereed-bestand", GEREED], env)
        gereed_probe = {"exec": {"command": ["test", "-f", GEREED]}}
        if rol == "api" and poort:
            container["ports"] = [{"name": "http", "containerPort": int(poort)}]
            http = {"httpGet": {"path": "/healthz", "port": "http"}}
            container["readinessProbe"] = {**http, "periodSeconds": 5}
            container["livenessProbe"] = {**http, "initialDelaySeconds": 30,
                                          "periodSeconds": 10}
        else:
            # A worker says it is ready once its consumer has its partitions; it ends itself
            # (and is restarted) when a part fails.
            container["readinessProbe"] = {**gereed_probe, "periodSeconds": 5}
            container["livenessProbe"] = {**gereed_probe, "initialDelaySeconds": 120,
                                          "periodSeconds": 30}
        uit += _deployments(naam, rol, labels, container)
        if rol == "api" and poort:
            uit.append({"apiVersion": "v1", "kind": "Service",
                        "metadata": _meta(naam, **labels),
                        "spec": {"selector": {"app.kubernetes.io/name": naam},
                                 "ports": [{"name": "http", "port": int(poort),
                                            "targetPort": "http"}]}})
    return uit


def _deployments(naam: str, rol: str, labels: dict[str, str],
                 container: dict[str, Any]) -> list[dict[str, Any]]:
    """The Deployments of one process: one with ``replicas`` copies, or, for a process with a
    relay, one per copy with its number (``<naam>-<i>``). A numbered copy is replaced by
    ``Recreate``: two pods of the same copy would fence each other's transactions."""
    aantal = EXEMPLAREN.get(rol, 1)
    pod_labels = {**labels, "app.kubernetes.io/name": naam}
    if rol not in MET_RELAY:
        return [{"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": _meta(naam, **pod_labels),
                 "spec": {"replicas": aantal,
                          "selector": {"matchLabels": {"app.kubernetes.io/name": naam}},
                          "template": {"metadata": {"labels": pod_labels},
                                       "spec": {"containers": [container]}}}}]
    uit = []
    for i in range(1, aantal + 1):
        exemplaar = {**pod_labels, "vhh.nl/exemplaar": str(i)}
        genummerd = {**container, "env": [
            *container["env"], {"name": "VHH_EXEMPLAAR", "value": str(i)},
            {"name": "VHH_EXEMPLAREN", "value": str(aantal)}]}
        uit.append({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": _meta(f"{naam}-{i}", **exemplaar),
                    "spec": {"replicas": 1, "strategy": {"type": "Recreate"},
                             "selector": {"matchLabels": {"app.kubernetes.io/name": naam,
                                                          "vhh.nl/exemplaar": str(i)}},
                             "template": {"metadata": {"labels": exemplaar},
                                          "spec": {"containers": [genummerd]}}}})
    return uit


def alle() -> dict[str, list[dict[str, Any]]]:
    """File name -> the resources in it."""
    delen = procesplan.plan()
    services = _services(delen)
    bestanden = {"namespace.yaml": [{"apiVersion": "v1", "kind": "Namespace",
                                     "metadata": {"name": NAMESPACE}}],
                 "sleutelkluis.yaml": sleutelkluis_job(),
                 "kafka.yaml": kafka_cluster(), "kafka-topics.yaml": kafka_topics(),
                 "kafka-users.yaml": kafka_users()}
    for d in delen:
        bestanden[f"deel-{_label(d.naam)}.yaml"] = deel(d, services)
    return bestanden


def yaml_tekst(resources: list[dict[str, Any]]) -> str:
    import yaml

    kop = "# Generated by `vhh manifests` (shared/manifesten.py): do not edit.\n"
    return kop + "---\n".join(yaml.safe_dump(r, sort_keys=False, allow_unicode=True)
                              for r in resources)


def schrijf(uit: Path = UIT) -> list[str]:
    """Write every manifest into ``uit`` (stale files of an older plan removed); return the
    names of the files that changed."""
    uit.mkdir(parents=True, exist_ok=True)
    bestanden = {naam: yaml_tekst(r) for naam, r in alle().items()}
    gewijzigd = []
    for oud in uit.glob("*.yaml"):
        if oud.name not in bestanden:
            oud.unlink()
            gewijzigd.append(oud.name)
    for naam, tekst in bestanden.items():
        pad = uit / naam
        if not pad.exists() or pad.read_text() != tekst:
            pad.write_text(tekst)
            gewijzigd.append(naam)
    return sorted(gewijzigd)


def sleutelkluis_job() -> list[dict[str, Any]]:
    """The provincial key vault's migration, before any part starts."""
    from shared.supervisor import van_diensten

    [migratie] = van_diensten(["sleutelkluis"])[0]
    env: list[dict[str, Any]] = [
           {"name": "VHH_OMGEVING", "value": "productie"},
           {"name": "VHH_SLEUTELKLUIS_DATABASE_URL", "valueFrom": {"secretKeyRef": {
               "name": DATABASES, "key": "sleutelkluis"}}},
           {"name": "VHH_SLEUTELKLUIS_MEESTERSLEUTEL", "valueFrom": {"secretKeyRef": {
               "name": GEHEIMEN, "key": "VHH_SLEUTELKLUIS_MEESTERSLEUTEL"}}}]
    return [{"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta("sleutelkluis-migrate"),
             "spec": {"backoffLimit": 3, "template": {"spec": {
                 "restartPolicy": "OnFailure",
                 "containers": [_container("migrate", _commando(migratie), env)]}}}}]


# -- Strimzi's schemas ------------------------------------------------------------------

STRIMZI_KINDS = {"Kafka": "io.strimzi.api.kafka.model.kafka.Kafka",
                 "KafkaNodePool": "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
                 "KafkaTopic": "io.strimzi.api.kafka.model.topic.KafkaTopic",
                 "KafkaUser": "io.strimzi.api.kafka.model.user.KafkaUser"}


def strimzi_schemas(repo_root: Path = REPO) -> dict[str, dict[str, Any]]:
    """The openAPIV3Schema of each Strimzi kind (version v1beta2), from the CRDs Strimzi's own
    generator (Maven Central: io.strimzi:crd-generator, io.strimzi:api, deploy/kubernetes/strimzi
    /pom.xml) writes from its API model; generated once into .cache/strimzi/crds."""
    import hashlib
    import json
    import shutil
    import subprocess

    import yaml

    from shared.devstack import DevstackError, file_lock

    pom = repo_root / "deploy" / "kubernetes" / "strimzi" / "pom.xml"
    cache = repo_root / ".cache" / "strimzi"
    libs, crds = cache / "libs", cache / "crds"
    merk = hashlib.sha256(pom.read_bytes()).hexdigest()
    marker = crds / "pom.sha256"
    with file_lock(cache / ".lock"):
        if not (marker.exists() and marker.read_text() == merk):
            shutil.rmtree(cache / "libs", ignore_errors=True)
            shutil.rmtree(crds, ignore_errors=True)
            mvn, java = shutil.which("mvn"), shutil.which("java")
            if mvn is None or java is None:
                raise DevstackError("Maven and Java are needed once to generate Strimzi's CRDs")
            for cmd in ([mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
                         f"-DoutputDirectory={libs}"],
                        [java, "-cp", f"{libs}/*", "io.strimzi.crdgenerator.CrdGenerator",
                         "--yaml", "--crd-api-version", "v1",
                         *(f"{klasse}={crds / (kind + '.yaml')}"
                           for kind, klasse in STRIMZI_KINDS.items())]):
                crds.mkdir(parents=True, exist_ok=True)
                r = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if r.returncode != 0:
                    raise DevstackError(f"{' '.join(cmd[:4])} failed:\n{r.stdout}{r.stderr}")
            marker.write_text(merk)
    schemas = {}
    for kind in STRIMZI_KINDS:
        crd = yaml.safe_load((crds / f"{kind}.yaml").read_text())
        [versie] = [v for v in crd["spec"]["versions"] if v["name"] == "v1beta2"]
        schemas[kind] = json.loads(json.dumps(versie["schema"]["openAPIV3Schema"]))
    return schemas
