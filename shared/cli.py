"""`vhh`: the platform's command line.

    vhh run                    start Kafka, PostgreSQL, the provincial services and every
                               house's own (deploy/gebiedsindeling.toml), publish the demo data
    vhh run --house HUIS       start one house's own services (deploy/gebiedsindeling.toml)
    vhh run --provincie        start the provincial services only (intake, nazorg)
    vhh run --brokers 3        ... on a local three-node Kafka cluster (or VHH_KAFKA_BROKERS=3)
    vhh run --per-deel         ... each part (API, worker, relay) as a process of its own, as
                               production runs them (default: one process per house)
    vhh run --instanties regie-worker=2
                               ... with two instances of each house's regie worker
    vhh stop                   stop everything `vhh run` started
    vhh status                 every part and its instances, consumer lag, outbox backlog
    vhh topics apply           create or align the topics of the registry (idempotent)
    vhh topics list            the registry
    vhh acls apply             create the principals and ACLs derived from registry and houses
    vhh acls list              the principals and their ACLs
    vhh contracts export       write the event schemas into contracts/
    vhh manifests              write the Kubernetes/Strimzi manifests into
                               deploy/kubernetes/generated/ (topics, users+ACLs, every part)
    vhh demo                   publish the demo messages against a running platform
    vhh herbouw --dienst D --naar URL
                               rebuild a service's projection (triage, regie, nazorg,
                               reporting) from offset 0 into the empty database URL and print
                               the state hash of the live and the rebuilt one
    vhh token --huis H --rol R [--organisatie O] [--naam N] [--bron B]
                               print a development bearer token (VHH_AUTH_SLEUTEL)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from shared.settings import OMGEVING, REPO, KafkaSettings

if TYPE_CHECKING:
    from shared.procesplan import Deel
    from shared.supervisor import Proces

VAR = REPO / "var"
RUN = VAR / "run"
VOORGROND = RUN / "vhh-run.voorgrond"  # pid of a waiting `vhh run`; not a *.pid service
CLUSTER = VAR / "kafka-cluster"
"""The local cluster of `vhh run --brokers N` (N > 1): var/kafka-cluster/node-<id>."""
TOEZICHT_LOG = RUN / "toezicht.log"
console = Console()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="vhh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="commando", required=True)
    run = sub.add_parser("run", help="start the whole platform locally with demo data")
    run.add_argument("--geen-demo", action="store_true", help="do not publish the demo data")
    run.add_argument("--detach", action="store_true", help="return once everything is ready")
    alleen = run.add_mutually_exclusive_group()
    alleen.add_argument("--house", "--huis", dest="huis", metavar="HUIS",
                        help="start only this house's own services (deploy/gebiedsindeling.toml) "
                             "against the shared broker")
    alleen.add_argument("--provincie", "--province", dest="provincie", action="store_true",
                        help="start only the provincial services (intake, the provincial "
                             "nazorg), no house")
    run.add_argument("--brokers", type=int, default=None, metavar="N",
                     help="Kafka nodes: 1 (default, or VHH_KAFKA_BROKERS) or a cluster of N "
                          "(3: replication factor 3, min.insync.replicas 2)")
    run.add_argument("--per-deel", "--per-part", dest="per_deel", action="store_true",
                     help="one process per part (API, worker, relay apart), as production "
                          "runs them; default: one process per house (its services' parts "
                          "together) and per provincial service (less memory, the same "
                          "behaviour); --instanties implies it")
    run.add_argument("--instanties", "--instances", action="append", default=[],
                     metavar="PROCES=N", help="run N instances of a process, e.g. "
                                              "regie-worker=2 (repeat for more)")
    sub.add_parser("stop", help="stop what `vhh run` started")
    sub.add_parser("status", help="every part, its instances, consumer lag and outbox backlog")
    topics = sub.add_parser("topics", help="the topic registry")
    topics.add_argument("actie", choices=["apply", "list"])
    topics.add_argument("--bootstrap", default=None)
    acls = sub.add_parser("acls", help="Kafka principals and ACLs")
    acls.add_argument("actie", choices=["apply", "list"])
    acls.add_argument("--bootstrap", default=None)
    contracts = sub.add_parser("contracts", help="event schemas")
    contracts.add_argument("actie", choices=["export"])
    sub.add_parser("manifests", help="write the Kubernetes and Strimzi manifests "
                                     "(deploy/kubernetes/generated)")
    demo = sub.add_parser("demo", help="publish the demo data against a running platform")
    demo.add_argument("--bootstrap", default=None)
    demo.add_argument("--api", default="http://127.0.0.1:8001")
    token = sub.add_parser("token", help="print a development bearer token")
    token.add_argument("--huis", required=True, help="the user's house, e.g. parkstad")
    token.add_argument("--rol", required=True, action="append",
                       help="screener, procesregisseur, partner, analist, beheerder or "
                            "feedbeheerder (repeat for more)")
    token.add_argument("--organisatie", default="Zorg- en Veiligheidshuis")
    token.add_argument("--naam", default=None)
    token.add_argument("--namens", default=None, help="the partner acted on behalf of")
    token.add_argument("--bron", default=None,
                       help="the herkomst of the meldingen this organisation sends, when it is "
                            "a chain (veilig_thuis, zsm, gemeente); default partner")
    herbouw = sub.add_parser("herbouw", help="rebuild a projection from offset 0 into an empty "
                                             "database and compare its state hash with live")
    herbouw.add_argument("--dienst", required=True, choices=["triage", "regie", "nazorg",
                                                             "reporting"])
    herbouw.add_argument("--naar", required=True, metavar="URL",
                         help="an empty PostgreSQL database (migrated first)")
    wis = sub.add_parser("wis", help="erase a person (crypto-shredding), or everyone whose "
                                     "retention period ended")
    wis.add_argument("persoon_id", nargs="?", help="the pseudonymous persoon_id to erase")
    wis.add_argument("--kenmerk", help="the privacy officer's decision reference (required "
                                       "with a persoon_id)")
    wis.add_argument("--verlopen", action="store_true",
                     help="erase everyone whose retention period (deploy/bewaartermijnen.toml) "
                          "has ended")
    wis.add_argument("--bootstrap", default=None)
    apart = sub.add_parser("apart", help="records a service set aside: list them, or replay one "
                                         "once its cause is fixed")
    apart.add_argument("actie", choices=["lijst", "herhaal"])
    apart.add_argument("id", nargs="?", type=int, help="the record to replay (herhaal)")
    apart.add_argument("--dienst", required=True, choices=list(APART_DIENSTEN))
    apart.add_argument("--huis", default=None,
                       help="the house whose records to list; without: the provincial topics'")
    apart.add_argument("--limit", type=int, default=50)
    apart.add_argument("--offset", type=int, default=0)
    kopie = sub.add_parser("backup", help="a copy (pg_dump) of every database, the key vault "
                                          "included, into a folder")
    kopie.add_argument("naar", type=Path)
    terug = sub.add_parser("herstel", help="put the copies of a folder back (pg_restore), then "
                                           "replay the erasures on the key vault")
    terug.add_argument("van", type=Path)
    terug.add_argument("--bootstrap", default=None)
    args = parser.parse_args(argv)
    if args.commando == "apart" and args.actie == "herhaal" and args.id is None:
        parser.error("apart herhaal: give the id of the record (see `vhh apart lijst`)")
    if args.commando == "apart" and not (1 <= args.limit <= 500 and args.offset >= 0):
        parser.error("apart: --limit is 1 to 500, --offset 0 or more")
    if args.commando == "wis" and bool(args.persoon_id) == args.verlopen:
        parser.error("wis: give a persoon_id (with --kenmerk) or --verlopen")
    if args.commando == "wis" and args.persoon_id and not (args.kenmerk or "").strip():
        parser.error("wis: --kenmerk is required: the decision the erasure rests on")

    if args.commando in ("run", "token", "demo"):
        # Development is an explicit choice, made here: `vhh run` starts a developer's platform
        # (its vault migration and demo run in this process; each part's environment says so
        # too: procesplan.Deel.omgeving), and `token` and `demo` are development tools; an
        # explicit VHH_OMGEVING=productie is kept for those two.
        if args.commando == "run":
            os.environ[OMGEVING] = "ontwikkeling"
        os.environ.setdefault(OMGEVING, "ontwikkeling")
    if args.commando == "run":
        try:
            brokers = args.brokers or int(os.environ.get("VHH_KAFKA_BROKERS") or 1)
            instanties = _instanties(args.instanties)
        except ValueError as fout:
            parser.error(f"run: {fout}")
        if brokers < 1:
            parser.error(f"run: --brokers must be 1 or more, not {brokers}")
        _run(demo=not args.geen_demo, detach=args.detach, huis=args.huis,
             provincie=args.provincie, brokers=brokers, instanties=instanties,
             samen=not (args.per_deel or args.instanties
                        or os.environ.get("VHH_RUN_PER_DEEL") == "1"))
    elif args.commando == "stop":
        _stop()
    elif args.commando == "status":
        _status()
    elif args.commando == "topics":
        _topics(args.actie, _lokale_kafka(args.bootstrap))
    elif args.commando == "acls":
        _acls(args.actie, _lokale_kafka(args.bootstrap), _lokale_gebruikers())
    elif args.commando == "contracts":
        from shared.contracts.export import export

        geschreven = export()
        console.print(f"written: {', '.join(geschreven) or 'nothing changed'}")
    elif args.commando == "manifests":
        from shared import manifesten

        os.environ.setdefault(OMGEVING, "ontwikkeling")  # reads the plan, starts nothing
        gewijzigd = manifesten.schrijf()
        console.print(f"written: {', '.join(gewijzigd) or 'nothing changed'} "
                      f"({manifesten.UIT.relative_to(REPO)})")
    elif args.commando == "token":
        print(_token(args.huis, args.rol, args.organisatie, args.naam, args.namens, args.bron))
    elif args.commando == "wis":
        _wis(args.persoon_id, args.kenmerk, _lokale_kafka(args.bootstrap))
    elif args.commando == "herbouw":
        _herbouw(args.dienst, args.naar)
    elif args.commando == "backup":
        _backup(args.naar)
    elif args.commando == "herstel":
        _herstel(args.van, _lokale_kafka(args.bootstrap))
    elif args.commando == "apart":
        _apart(args.dienst, args.actie, args.id, args.huis, args.limit, args.offset)
    elif args.commando == "demo":
        from shared.demo import draai

        draai(_lokale_kafka(args.bootstrap), args.api, console, _lokale_gebruikers())


def _herbouw(dienst: str, naar: str) -> None:
    """Rebuild into ``naar``; exit 1 when its state hash differs from the live one."""
    from shared import herbouw
    from shared.db import maak_engine

    gelezen = herbouw.herbouw(dienst, naar)
    live = herbouw.live_hash(dienst)
    engine = maak_engine(naar)
    try:
        nieuw = herbouw.toestandshash(engine, dienst)
    finally:
        engine.dispose()
    print(f"{dienst}: {gelezen.records} records read ({gelezen.los} batches one by one); "
          f"live {live}; rebuilt {nieuw}; {'equal' if live == nieuw else 'DIFFERENT'}",
          flush=True)
    if live != nieuw:
        live_engine, engine = maak_engine(herbouw.database_url(dienst)), maak_engine(naar)
        try:
            for regel in herbouw.verschil(live_engine, engine, dienst):
                print(f"  {regel}")
        finally:
            live_engine.dispose()
            engine.dispose()
        raise SystemExit(1)


def _token(huis: str, rollen: list[str], organisatie: str, naam: str | None,
           namens: str | None, bron: str | None = None) -> str:
    """A token signed with the configured key; refused when that is not possible."""
    from shared.contracts.huizen import HuisId
    from shared.contracts.vocabulaire import Bron
    from shared.toegang import Rol, ToegangSettings, maak_token

    try:
        return maak_token(ToegangSettings(), huis=HuisId(huis), rollen=[Rol(r) for r in rollen],
                          naam=naam or f"{rollen[0]}@{huis}", organisatie=organisatie,
                          namens=namens, bron=Bron(bron) if bron else None)
    except ValueError as fout:
        console.print(f"[red]{fout}[/]")
        raise SystemExit(2) from None


def _instanties(waarden: list[str]) -> dict[str, int]:
    """``["regie-worker=2"]`` -> ``{"regie-worker": 2}``; a malformed value is refused."""
    uit = {}
    for w in waarden:
        naam, _, aantal = w.partition("=")
        if not naam or not aantal.isdigit() or int(aantal) < 1:
            raise ValueError(f"--instanties: {w!r} is not PROCES=N with N 1 or more")
        uit[naam.strip()] = int(aantal)
    return uit


def _lokaal_cluster() -> Any:
    """The local broker or cluster `vhh run` started, or None."""
    from shared.devstack import kafka

    return kafka.cluster_status(CLUSTER) or kafka.status(VAR / "kafka")


def _lokale_kafka(bootstrap: str | None = None) -> KafkaSettings:
    """The broker `vhh run` started, as its super user; else the configured one
    (VHH_KAFKA_BOOTSTRAP, VHH_KAFKA_GEBRUIKER, VHH_KAFKA_WACHTWOORD)."""
    from shared.devstack import kafka

    lokaal = _lokaal_cluster()
    if lokaal is not None:
        rf, min_isr = kafka.replicatie_voor(len(getattr(lokaal, "nodes", [lokaal])))
        instellingen = KafkaSettings(bootstrap=lokaal.bootstrap, replicatie=rf,
                                     min_insync=min_isr).als(lokaal.gebruiker, lokaal.wachtwoord)
    else:
        instellingen = KafkaSettings()
    return instellingen.model_copy(update={"bootstrap": bootstrap}) if bootstrap else instellingen


def _lokale_gebruikers() -> dict[str, str] | None:
    """The local broker's generated passwords (var/kafka/credentials.json), one per principal;
    None against another broker, whose passwords the operator manages."""
    from shared import kafka_acls

    lokaal = _lokaal_cluster()
    return kafka_acls.wachtwoorden(lokaal.credentials) if lokaal else None


def _acls(actie: str, beheer: KafkaSettings, gebruikers: dict[str, str] | None) -> None:
    from shared import kafka_acls

    if actie == "list":
        tabel = Table()
        for kolom in ("principal", "operation", "resource", "name"):
            tabel.add_column(kolom, overflow="fold")
        for r in kafka_acls.gewenste_regels():
            tabel.add_row(r.principal, r.operatie, r.soort.lower(),
                          r.naam + ("*" if r.patroon == kafka_acls.PREFIX else ""))
        console.print(tabel)
        console.print(f"{kafka_acls.BEHEER}: super user (no ACLs needed)")
        return
    wijzigingen = kafka_acls.pas_toe(beheer, gebruikers)
    for w in wijzigingen:
        console.print(f"  {w.wat}: {w.regel}")
    console.print(f"principals and ACLs match the registry ({len(wijzigingen)} changes)")


def _topics(actie: str, kafka: KafkaSettings) -> None:
    from shared.contracts.topics import alle_topics

    if actie == "list":
        tabel = Table("topic", "partitions", "retention", "key")
        for t in alle_topics():
            retentie = "forever" if t.retentie_ms < 0 else f"{t.retentie_ms // 86_400_000} days"
            tabel.add_row(t.naam, str(t.partities), retentie + (" (compacted)" if t.compact
                                                                else ""), t.sleutel)
        console.print(tabel)
        return
    from shared.kafka_admin import pas_toe

    wijzigingen = pas_toe(kafka)
    for w in wijzigingen:
        console.print(f"  {w.topic}: {w.wat}")
    console.print(f"topics match the registry ({len(wijzigingen)} changes)")


def _run(demo: bool, detach: bool, huis: str | None = None, provincie: bool = False,
         brokers: int = 1, instanties: dict[str, int] | None = None,
         samen: bool = True) -> None:
    from shared import procesplan
    from shared.devstack import kafka, postgres
    from shared.devstack.ports import is_free, preferred_or_free
    from shared.huisdeployment import ConfiguratieFout

    # A typo in a house, its configuration or a taken HTTP port is refused before anything
    # starts.
    try:
        delen = procesplan.plan(huis, huizen=not provincie)
        if samen:
            delen = procesplan.samengevoegd(delen)
    except ConfiguratieFout as fout:
        console.print(f"[red]{fout}[/]")
        raise SystemExit(2) from None
    bezet = [f"{p} ({d.naam})" for d in delen for p in d.poorten if not is_free(p)]
    if bezet:
        console.print(f"[red]in use: {', '.join(bezet)}[/]: is the platform running already "
                      "(`make stop`), or does another program hold these ports?")
        raise SystemExit(2)
    instanties = instanties or {}
    namen = {p.naam for d in delen for p in d.processen}
    for naam in instanties:
        if naam not in namen:
            console.print(f"[red]--instanties: no process {naam!r}[/]; there are "
                          f"{', '.join(sorted(namen))}")
            raise SystemExit(2)
        if naam.endswith("-api") and instanties[naam] > 1:
            console.print(f"[red]--instanties: {naam} listens on a port of its own[/]; one "
                          "instance per port (put a load balancer before several in a cluster)")
            raise SystemExit(2)
    if brokers > 1:
        with console.status(f"Kafka: starting a cluster of {brokers} nodes"):
            cluster = kafka.start_cluster(CLUSTER, brokers)
        console.print(f"[green]Kafka[/] cluster of {brokers} on {cluster.bootstrap} (data and "
                      "logs in var/kafka-cluster/node-*)")
    else:
        poort = controller = None
        if kafka.saved_ports(VAR / "kafka") is None:  # a formatted node keeps its ports
            poort = preferred_or_free(9092)
            controller = preferred_or_free(9093, [poort])
        with console.status("Kafka: fetching jars (first run only) and starting the broker"):
            broker = kafka.start(VAR / "kafka", port=poort, controller_port=controller)
        console.print(f"[green]Kafka[/] on {broker.bootstrap} (data in var/kafka, log "
                      f"var/kafka/kafka.log)")
    with console.status("PostgreSQL: starting"):
        pg = postgres.start(VAR / "postgres", port=None if (VAR / "postgres").exists()
                            else preferred_or_free(55432))
    console.print(f"[green]PostgreSQL[/] on 127.0.0.1:{pg.port} (data in var/postgres)")
    # The super user for the administrative steps only: no service process logs in as it.
    beheer = _lokale_kafka()
    gebruikers = _lokale_gebruikers() or {}
    _topics("apply", beheer)
    _acls("apply", beheer, gebruikers)
    gestart = _start_delen(delen, beheer, gebruikers, pg, instanties)
    if demo and any(d.naam == "intake" for d in delen):
        from shared.demo import draai

        draai(beheer, procesplan.provinciale_url("intake"), console, gebruikers)
    _waar(delen)
    if detach:
        console.print("running in the background, not supervised (a part that exits stays "
                      "down: run `vhh run` in the foreground for restarts); `make stop` ends it")
        return
    _wacht(gestart)


def _als(beheer: KafkaSettings, gebruikers: dict[str, str], principal: str) -> dict[str, str]:
    """The VHH_KAFKA_* environment of a process logging in as ``principal``; never the super
    user's instead."""
    if principal not in gebruikers:
        console.print(f"[red]no password for the Kafka principal {principal}[/] (local ones are "
                      "in var/kafka/credentials.json; `vhh acls apply` creates them)")
        raise SystemExit(2)
    return beheer.als(principal, gebruikers[principal]).omgeving()


def _start_delen(delen: list[Deel], beheer: KafkaSettings, gebruikers: dict[str, str],
                 pg: Any, instanties: dict[str, int] | None = None) -> list[Gestart]:
    """Start the parts side by side, a few at a time: most of a start is Python importing, so
    the machine's processors bound how many are worth running at once. Within a part the
    migrations come before its processes."""
    from concurrent.futures import ThreadPoolExecutor

    from shared import supervisor
    from shared.devstack import postgres

    # One provincial key vault for every part: a person's key opens their data wherever it
    # travels (a hand-over between houses included). Migrated before anything uses it.
    postgres.create_database(pg, "sleutelkluis")
    kluis = {"VHH_SLEUTELKLUIS_DATABASE_URL": pg.url("sleutelkluis")}
    for m in supervisor.van_diensten(["sleutelkluis"])[0]:
        subprocess.run([*m], cwd=REPO, env={**os.environ, **kluis}, check=True)
    omgevingen = {}
    for d in delen:  # one after the other: CREATE DATABASE copies template1, one at a time
        for database in d.databases.values():
            postgres.create_database(pg, database)
        omgevingen[d.naam] = {**os.environ, **d.omgeving(pg.url), **kluis,
                              **_als(beheer, gebruikers, d.principal)}
    tegelijk = max(2, 2 * (os.cpu_count() or 1))
    aantal = sum(len(d.processen) for d in delen)
    gestart: list[Gestart] = []
    with (console.status(f"starting {aantal} processes, {tegelijk} parts at a time"),
          ThreadPoolExecutor(tegelijk, thread_name_prefix="vhh-run") as pool):
        for klaar in [pool.submit(_start_deel, d, omgevingen[d.naam], instanties or {})
                      for d in delen]:
            gestart += klaar.result()  # the first failure, once every part has had its go
    return gestart


Gestart = tuple["Proces", Path, dict[str, str], int]
"""A started process instance: what it is, its run directory, environment and pid."""


def instanties_van(p: Proces, aantal: int) -> list[tuple[Proces, dict[str, str]]]:
    """The instances of a process: the first keeps its name, the others get ``.<i>``; each is
    told which of how many it is (VHH_EXEMPLAAR, VHH_EXEMPLAREN)."""
    from shared.supervisor import Proces

    return [(Proces(p.naam if i == 1 else f"{p.naam}.{i}", p.commando, p.dienst),
             {"VHH_EXEMPLAAR": str(i), "VHH_EXEMPLAREN": str(aantal)})
            for i in range(1, aantal + 1)]


def _start_deel(deel: Deel, env: dict[str, str], instanties: dict[str, int]) -> list[Gestart]:
    """Migrate a part's databases and start its processes (as many instances as asked), each
    logged in to Kafka as the part's principal (``env``)."""
    from shared import supervisor

    for m in deel.migraties:
        subprocess.run([*m], cwd=REPO, env=env, check=True)
    run_dir = RUN / deel.run_map
    log = "var/run/" + (f"{deel.run_map}/" if deel.run_map else "")
    gestart: list[Gestart] = []
    for proces in deel.processen:
        for p, instantie in instanties_van(proces, instanties.get(proces.naam, 1)):
            p_env = {**env, **instantie}
            pid = supervisor.start(p, run_dir, p_env)
            gestart.append((p, run_dir, p_env, pid))
            console.print(f"[green]{p.naam}[/] running as {deel.principal} (pid {pid}, log "
                          f"{log}{p.naam}.log)", soft_wrap=True)
    return gestart


PAGINA = {"triage": "screening", "regie": "casussen", "nazorg": "nazorg",
          "reporting": "jaarverslag"}
"""Each service's first page of a house."""


def _waar(delen: list[Deel]) -> None:
    """Where to look: per house its workbench at its own ports, then the provincial services."""
    from shared import huisdeployment
    from shared.procesplan import provinciale_url
    from shared.werkbank import HUISNAMEN

    def regel(wat: str, url: str, uitleg: str = "") -> None:
        console.print(f"    {wat:<12} {url}" + (f"  ({uitleg})" if uitleg else ""),
                      soft_wrap=True)  # a URL stays on one line

    huizen = [(d, d.huis) for d in delen if d.huis is not None]
    console.print("\n[bold]Where to look[/]")
    open_dit = next(((d, h) for d, h in huizen if "triage" in d.urls), None)
    if open_dit is not None:
        d, h = open_dit
        elk = "each house below has its own workbench, " if len(huizen) > 1 else ""
        console.print(f"  [bold]the workbench (open this)[/]  {d.urls['triage']}/  (log in as "
                      f"a user of {HUISNAMEN.get(h, h.value)}; {elk}one login serves every port)",
                      soft_wrap=True)
    for d, h in huizen:
        console.print(f"  [bold]{HUISNAMEN.get(h, h.value)}[/]: its services log in to Kafka "
                      f"as {d.principal}")
        for dienst, pagina in PAGINA.items():
            basis = d.instellingen.get(f"VHH_WERKBANK_{dienst.upper()}_URL")
            if basis is not None:
                regel(pagina, f"{basis}/werkbank/{h.value}/{pagina}",
                      "" if dienst in d.urls else "the provincial nazorg")
    provinciaal = [d for d in delen if d.huis is None]
    if provinciaal:
        console.print("  [bold]the province[/]")
        for d in provinciaal:
            regel(f"{d.naam} API", f"{d.urls[d.naam]}/docs", f"logs in to Kafka as {d.principal}")
        if any(d.naam == "intake" for d in provinciaal):
            regel("refused", f"{provinciale_url('intake')}/api/v1/afgewezen",
                  "feed messages intake set aside, with the reason")
    rapportage = next((d for d, _ in huizen if "reporting" in d.urls), None)
    if rapportage is not None:
        regel("overview", f"{rapportage.urls['reporting']}/werkbank/limburg/jaarverslag",
              "Limburg, in every house's reporting, from the houses' aggregate figures")
    if len(delen) == 1 and huizen:
        d, h = huizen[0]
        console.print(f"  {HUISNAMEN.get(h, h.value)} relies on the provincial "
                      f"{', '.join(huisdeployment.lees(h).provinciaal) or 'nothing'}: start "
                      "those with `vhh run --provincie`.")
    console.print(
        "  APIs: <service>/docs, with a token: .venv/bin/vhh token --huis parkstad --rol screener\n"
        "  publish the demo again: .venv/bin/vhh demo\n"
        "  the topics, the ACLs: .venv/bin/vhh topics list, .venv/bin/vhh acls list\n"
        "  logs: var/run/*.log, var/run/huizen/<huis>/*.log\n", soft_wrap=True)


def _wacht(gestart: list[Gestart]) -> None:
    """Supervise the processes until Ctrl-C or `make stop`: one that exits unexpectedly is
    started again after a back-off, said here and in var/run/toezicht.log."""
    from datetime import datetime

    from shared.supervisor import Toezicht

    def meld(tekst: str) -> None:
        console.print(f"[yellow]{tekst}[/]", soft_wrap=True)
        with TOEZICHT_LOG.open("a") as f:
            f.write(f"{datetime.now().isoformat(timespec='seconds')} {tekst}\n")

    toezicht = Toezicht(meld)
    for p, run_dir, env, pid in gestart:
        toezicht.bewaak(p, run_dir, env, pid)
    console.print("Ctrl-C (or `make stop` elsewhere) ends everything; a part that exits is "
                  "started again (var/run/toezicht.log).")
    VOORGROND.write_text(str(os.getpid()))
    # Block the signals so that sigtimedwait receives them instead of the default handlers;
    # the children were started before and keep their own masks.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    while signal.sigtimedwait({signal.SIGINT, signal.SIGTERM}, 1.0) is None:
        toezicht.controleer()
    console.print("stopping")
    _stop()


def _status() -> None:
    """Every part of the plan with its instances (pid, alive), each consumer group's lag and
    each service database's outbox backlog."""
    from shared import procesplan, status, supervisor
    from shared.devstack import postgres

    delen = procesplan.plan()
    samen = procesplan.samengevoegd(delen)
    if any((RUN / d.run_map / f"{p.naam}.pid").exists() for d in samen for p in d.processen):
        delen = samen  # started lean: one process per house
    tabel = Table("part", "process", "instance", "pid", "state")
    for d in delen:
        run_dir = RUN / d.run_map
        for p in d.processen:
            pidfiles = sorted(run_dir.glob(f"{p.naam}.pid")) + sorted(
                run_dir.glob(f"{p.naam}.*.pid"))
            if not pidfiles:
                tabel.add_row(d.naam, p.naam, "-", "-", "[dim]not started[/]")
            for f in pidfiles:
                pid = int(f.read_text())
                staat = "[green]running[/]" if supervisor.leeft(pid) else "[red]exited[/]"
                tabel.add_row(d.naam, p.naam, f.name.removesuffix(".pid"), str(pid), staat)
    console.print(tabel)
    if _lokaal_cluster() is not None or "VHH_KAFKA_BOOTSTRAP" in os.environ:
        from kafka.errors import KafkaError

        try:
            lag = status.consumer_lag(_lokale_kafka())
        except KafkaError as fout:
            console.print(f"[red]consumer lag unknown: {fout}[/]")
        else:
            lagtabel = Table("consumer group", "lag (records)")
            for groep, n in lag.items():
                lagtabel.add_row(groep, str(n))
            console.print(lagtabel)
    else:
        console.print("Kafka: no local broker running")
    pg = postgres.status(VAR / "postgres")
    if pg is None:
        console.print("PostgreSQL: not running (no outbox backlog to show)")
        return
    outbox = Table("part", "database", "unpublished outbox rows")
    for d in delen:
        for database in d.databases.values():
            rijen = status.outbox_achterstand(pg.url(database))
            outbox.add_row(d.naam, database, "-" if rijen is None else str(rijen))
    console.print(outbox)


def _stop() -> None:
    from shared import supervisor
    from shared.devstack import kafka, postgres

    if VOORGROND.exists():
        # `make stop` from another terminal: let the waiting `vhh run` return as well.
        pid = int(VOORGROND.read_text())
        VOORGROND.unlink(missing_ok=True)
        if pid != os.getpid():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    for run_dir in [RUN, *sorted((RUN / "huizen").glob("*"))]:
        for naam in supervisor.stop_alle(run_dir):
            console.print(f"stopped {naam}")
    if postgres.stop(VAR / "postgres"):
        console.print("stopped PostgreSQL")
    if kafka.stop(VAR / "kafka"):
        console.print("stopped Kafka")
    if kafka.stop_cluster(CLUSTER):
        console.print("stopped the Kafka cluster")


def _lokale_kluis() -> Any:
    """The key vault of `vhh run` (its PostgreSQL), else the configured one."""
    from shared.devstack import postgres
    from shared.sleutelkluis import Sleutelkluis

    server = postgres.status(VAR / "postgres")
    if server is not None and "VHH_SLEUTELKLUIS_DATABASE_URL" not in os.environ:
        os.environ["VHH_SLEUTELKLUIS_DATABASE_URL"] = server.url("sleutelkluis")
        os.environ.setdefault(OMGEVING, "ontwikkeling")  # the vault `vhh run` started
    return Sleutelkluis.uit_omgeving()


def _wis(persoon_id: str | None, kenmerk: str | None, beheer: KafkaSettings) -> None:
    from uuid import UUID

    from shared import wissing
    from shared.contracts.privacy import Wisgrond

    kluis = _lokale_kluis()
    if persoon_id is not None:
        try:
            pid = UUID(persoon_id)
        except ValueError:
            console.print(f"[red]persoon_id: not a UUID: {persoon_id!r}[/]")
            raise SystemExit(2) from None
        w = wissing.wis(pid, Wisgrond.VERZOEK, kenmerk or "", kluis=kluis, kafka=beheer)
        staat = "destroyed" if w.sleutel_vernietigd else "was destroyed before"
        console.print(f"{pid}: key {staat}; persoon-gewist published on limburg.wissingen.v1")
    else:
        gewist = wissing.wis_verlopen(kluis=kluis, kafka=beheer,
                                      voortgang=lambda p: console.print(f"  erased {p}"))
        console.print(f"{len(gewist)} person(s) past their retention period erased")
    tot = wissing.ruim_landingszone_op(beheer)
    console.print(f"feed landing zone emptied up to intake's committed offsets "
                  f"({len(tot)} partition(s))")
    from shared.sleutelkluis import AFGEWEZEN

    oud = wissing.ruim_afgewezen_op(beheer, kluis.termijnen.termijn(AFGEWEZEN))
    console.print(f"dead letters past their period deleted ({len(oud)} partition(s))")


APART_DIENSTEN = ("intake", "triage", "regie", "nazorg", "reporting")
"""The services whose records set aside ``vhh apart`` lists and replays (shared/kit/apart.py;
intake: its refused feed records, services/intake/entrypoints/usecases.py)."""


def _apart(dienst: str, actie: str, id: int | None, huis: str | None, limit: int,
           offset: int) -> None:
    """The same use cases as the service's API, on its database (that of `vhh run` when it
    runs and no VHH_<DIENST>_DATABASE_URL is set), as the operator (audited as such)."""
    import importlib

    from shared.contracts.huizen import HuisId
    from shared.devstack import postgres

    if huis is not None and huis not in {h.value for h in HuisId}:
        console.print(f"[red]--huis: {huis!r} is no house; one of "
                      f"{', '.join(h.value for h in HuisId)}[/]")
        raise SystemExit(2)
    server = postgres.status(VAR / "postgres")
    sleutel = f"VHH_{dienst.upper()}_DATABASE_URL"
    if server is not None and sleutel not in os.environ:
        os.environ[sleutel] = server.url(dienst)
    kluis = _lokale_kluis()
    bootstrap = importlib.import_module(f"services.{dienst}.bootstrap").bootstrap
    d = bootstrap() if dienst == "reporting" else bootstrap(kluis=kluis)
    if dienst == "intake":
        _apart_intake(d, actie, id, huis, limit, offset)
        return
    worker = importlib.import_module(f"services.{dienst}.entrypoints.worker")
    terzijde = worker.terzijde(d)
    if actie == "lijst":
        pagina = terzijde.lijst(None, huis, limit, offset)
        console.print(f"{pagina.aantal} record(s) set aside by {dienst} "
                      f"({huis or 'provincial topics'}); {len(pagina.items)} from {offset}:")
        for a in pagina.items:
            console.print(f"  {a.id}  {a.ontvangen_op:%Y-%m-%d %H:%M}  {a.topic}[{a.partitie}]"
                          f"@{a.offset}  {a.type or '-'}  {a.reden}")
        return
    assert id is not None
    from shared.kit.fouten import NietGevonden

    try:
        h = terzijde.herhaal(None, id)
    except NietGevonden:
        console.print(f"[red]{dienst} has no record {id} set aside[/]")
        raise SystemExit(1) from None
    if h.verwerkt:
        console.print(f"{id}: processed; no longer set aside")
    else:
        console.print(f"[red]{id}: failed again, still set aside: {h.reden}[/]")
        raise SystemExit(1)


def _apart_intake(intake: Any, actie: str, id: int | None, huis: str | None, limit: int,
                  offset: int) -> None:
    """Intake's refused feed records, as its API's use cases give them: of one house (as its
    beheerder) or, without --huis, of the whole province (as the feedbeheerder)."""
    from dataclasses import replace

    from services.intake.entrypoints import usecases
    from shared.contracts.huizen import HuisId
    from shared.kit.apart import operator
    from shared.kit.fouten import NietGevonden, Weigering
    from shared.toegang import Rol

    wie = operator(huis)
    if huis is None:
        wie = replace(wie, rollen=frozenset({Rol.FEEDBEHEERDER}))
    else:
        wie = replace(wie, huis=HuisId(huis))
    if actie == "lijst":
        aantal, lijst = usecases.afgewezen(intake, wie, limit, offset)
        console.print(f"{aantal} feed record(s) refused by intake ({huis or 'all houses'}); "
                      f"{len(lijst)} from {offset}:")
        for a, _ in lijst:
            console.print(f"  {a.id}  {a.ontvangen_op:%Y-%m-%d %H:%M}  {a.topic}[{a.partitie}]"
                          f"@{a.offset}  {a.ce_type or '-'}  {a.huis or '-'}  "
                          f"{'; '.join(map(str, a.fouten))}")
        return
    assert id is not None
    try:
        fouten = usecases.herhaal(intake, wie, id)
    except NietGevonden:
        console.print(f"[red]intake has no refused record {id}"
                      f"{f' of {huis}' if huis else ''}[/]")
        raise SystemExit(1) from None
    except Weigering as fout:
        console.print(f"[red]{id}: {fout}[/]")
        raise SystemExit(1) from None
    if fouten is None:
        console.print(f"{id}: processed; a melding now, no longer refused")
    else:
        console.print(f"[red]{id}: refused again: {'; '.join(map(str, fouten))}[/]")
        raise SystemExit(1)


def _databases() -> dict[str, str]:
    """Every database by name: the VHH_<DIENST>_DATABASE_URL and VHH_SLEUTELKLUIS_DATABASE_URL
    set, else every database of `vhh run`'s PostgreSQL."""
    gezet = {k.removeprefix("VHH_").removesuffix("_DATABASE_URL").lower(): v
             for k, v in os.environ.items()
             if k.startswith("VHH_") and k.endswith("_DATABASE_URL") and v.startswith("postgres")}
    if gezet:
        return gezet
    from sqlalchemy import create_engine, text

    from shared.devstack import postgres

    server = postgres.status(VAR / "postgres")
    if server is None:
        console.print("[red]no VHH_*_DATABASE_URL set and `vhh run`'s PostgreSQL is not running[/]")
        raise SystemExit(1)
    engine = create_engine(server.url("postgres"))
    with engine.connect() as conn:
        namen = conn.scalars(text("SELECT datname FROM pg_database WHERE NOT datistemplate "
                                  "AND datname <> 'postgres' ORDER BY datname")).all()
    engine.dispose()
    return {n: server.url(n) for n in namen}


def _backup(naar: Path) -> None:
    from shared import herstel

    for kopie in herstel.backup(_databases(), naar):
        console.print(f"  {kopie}")
    console.print(f"copied; restore with `vhh herstel {naar}`")


def _herstel(van: Path, beheer: KafkaSettings) -> None:
    """Each ``<naam>.dump`` of ``van`` back into its database, the key vault last, then the
    erasures replayed on it: a person erased after the copy was made stays erased."""
    from shared import herstel

    databases = _databases()
    kopieen = sorted(van.glob("*.dump"), key=lambda p: p.stem == "sleutelkluis")
    for kopie in kopieen:
        if kopie.stem not in databases:
            console.print(f"[red]{kopie.name}: no database {kopie.stem} to restore into[/]")
            raise SystemExit(1)
    for kopie in kopieen:
        herstel.herstel(kopie, databases[kopie.stem])
        console.print(f"restored {kopie.stem}")
    h = herstel.herhaal_wissingen(_lokale_kluis(), beheer)
    console.print(f"{h.wissingen} erasure(s) replayed on the key vault; {h.opnieuw_vernietigd} "
                  f"key(s) that the copy still held destroyed again")


if __name__ == "__main__":
    main(sys.argv[1:])
