"""`vhh`: the platform's command line.

    vhh run                    start Kafka, PostgreSQL, the provincial services and every
                               house's own (deploy/gebiedsindeling.toml), publish the demo data
    vhh run --house HUIS       start one house's own services (deploy/gebiedsindeling.toml)
    vhh run --provincie        start the provincial services only (intake, nazorg)
    vhh stop                   stop everything `vhh run` started
    vhh topics apply           create or align the topics of the registry (idempotent)
    vhh topics list            the registry
    vhh acls apply             create the principals and ACLs derived from registry and houses
    vhh acls list              the principals and their ACLs
    vhh contracts export       write the event schemas into contracts/
    vhh demo                   publish the demo messages against a running platform
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
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from shared.settings import OMGEVING, REPO, KafkaSettings

if TYPE_CHECKING:
    from shared.procesplan import Deel

VAR = REPO / "var"
RUN = VAR / "run"
VOORGROND = RUN / "vhh-run.voorgrond"  # pid of a waiting `vhh run`; not a *.pid service
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
    sub.add_parser("stop", help="stop what `vhh run` started")
    topics = sub.add_parser("topics", help="the topic registry")
    topics.add_argument("actie", choices=["apply", "list"])
    topics.add_argument("--bootstrap", default=None)
    acls = sub.add_parser("acls", help="Kafka principals and ACLs")
    acls.add_argument("actie", choices=["apply", "list"])
    acls.add_argument("--bootstrap", default=None)
    contracts = sub.add_parser("contracts", help="event schemas")
    contracts.add_argument("actie", choices=["export"])
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
    wis = sub.add_parser("wis", help="erase a person (crypto-shredding), or everyone whose "
                                     "retention period ended")
    wis.add_argument("persoon_id", nargs="?", help="the pseudonymous persoon_id to erase")
    wis.add_argument("--kenmerk", help="the privacy officer's decision reference (required "
                                       "with a persoon_id)")
    wis.add_argument("--verlopen", action="store_true",
                     help="erase everyone whose retention period (deploy/bewaartermijnen.toml) "
                          "has ended")
    wis.add_argument("--bootstrap", default=None)
    args = parser.parse_args(argv)
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
        _run(demo=not args.geen_demo, detach=args.detach, huis=args.huis,
             provincie=args.provincie)
    elif args.commando == "stop":
        _stop()
    elif args.commando == "topics":
        _topics(args.actie, _lokale_kafka(args.bootstrap))
    elif args.commando == "acls":
        _acls(args.actie, _lokale_kafka(args.bootstrap), _lokale_gebruikers())
    elif args.commando == "contracts":
        from shared.contracts.export import export

        geschreven = export()
        console.print(f"written: {', '.join(geschreven) or 'nothing changed'}")
    elif args.commando == "token":
        print(_token(args.huis, args.rol, args.organisatie, args.naam, args.namens, args.bron))
    elif args.commando == "wis":
        _wis(args.persoon_id, args.kenmerk, _lokale_kafka(args.bootstrap))
    elif args.commando == "demo":
        from shared.demo import draai

        draai(_lokale_kafka(args.bootstrap), args.api, console, _lokale_gebruikers())


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


def _lokale_kafka(bootstrap: str | None = None) -> KafkaSettings:
    """The broker `vhh run` started, as its super user; else the configured one
    (VHH_KAFKA_BOOTSTRAP, VHH_KAFKA_GEBRUIKER, VHH_KAFKA_WACHTWOORD)."""
    from shared.devstack import kafka

    lokaal = kafka.status(VAR / "kafka")
    if lokaal is not None:
        instellingen = KafkaSettings(bootstrap=lokaal.bootstrap).als(lokaal.gebruiker,
                                                                    lokaal.wachtwoord)
    else:
        instellingen = KafkaSettings()
    return instellingen.model_copy(update={"bootstrap": bootstrap}) if bootstrap else instellingen


def _lokale_gebruikers() -> dict[str, str] | None:
    """The local broker's generated passwords (var/kafka/credentials.json), one per principal;
    None against another broker, whose passwords the operator manages."""
    from shared import kafka_acls
    from shared.devstack import kafka

    lokaal = kafka.status(VAR / "kafka")
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


def _run(demo: bool, detach: bool, huis: str | None = None, provincie: bool = False) -> None:
    from shared import procesplan
    from shared.devstack import kafka, postgres
    from shared.devstack.ports import is_free, preferred_or_free
    from shared.huisdeployment import ConfiguratieFout

    # A typo in a house, its configuration or a taken HTTP port is refused before anything
    # starts.
    try:
        delen = procesplan.plan(huis, huizen=not provincie)
    except ConfiguratieFout as fout:
        console.print(f"[red]{fout}[/]")
        raise SystemExit(2) from None
    bezet = [f"{p} ({d.naam})" for d in delen for p in d.poorten if not is_free(p)]
    if bezet:
        console.print(f"[red]in use: {', '.join(bezet)}[/]: is the platform running already "
                      "(`make stop`), or does another program hold these ports?")
        raise SystemExit(2)
    poort = controller = None
    if kafka.saved_ports(VAR / "kafka") is None:  # a formatted node keeps its recorded ports
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
    _start_delen(delen, beheer, gebruikers, pg)
    if demo and any(d.naam == "intake" for d in delen):
        from shared.demo import draai

        draai(beheer, procesplan.provinciale_url("intake"), console, gebruikers)
    _waar(delen)
    if detach:
        console.print("running in the background; `make stop` ends it")
        return
    _wacht()


def _als(beheer: KafkaSettings, gebruikers: dict[str, str], principal: str) -> dict[str, str]:
    """The VHH_KAFKA_* environment of a process logging in as ``principal``; never the super
    user's instead."""
    if principal not in gebruikers:
        console.print(f"[red]no password for the Kafka principal {principal}[/] (local ones are "
                      "in var/kafka/credentials.json; `vhh acls apply` creates them)")
        raise SystemExit(2)
    return beheer.als(principal, gebruikers[principal]).omgeving()


def _start_delen(delen: list[Deel], beheer: KafkaSettings, gebruikers: dict[str, str],
                 pg: Any) -> None:
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
    with (console.status(f"starting {aantal} processes, {tegelijk} parts at a time"),
          ThreadPoolExecutor(tegelijk, thread_name_prefix="vhh-run") as pool):
        for klaar in [pool.submit(_start_deel, d, omgevingen[d.naam]) for d in delen]:
            klaar.result()  # the first failure, once every part has had its go


def _start_deel(deel: Deel, env: dict[str, str]) -> None:
    """Migrate a part's databases and start its processes, each logged in to Kafka as the
    part's principal (``env``)."""
    from shared import supervisor

    for m in deel.migraties:
        subprocess.run([*m], cwd=REPO, env=env, check=True)
    run_dir = RUN / deel.run_map
    log = "var/run/" + (f"{deel.run_map}/" if deel.run_map else "")
    for p in deel.processen:
        pid = supervisor.start(p, run_dir, env)
        console.print(f"[green]{p.naam}[/] running as {deel.principal} (pid {pid}, log "
                      f"{log}{p.naam}.log)", soft_wrap=True)


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


def _wacht() -> None:
    console.print("Ctrl-C (or `make stop` elsewhere) ends everything.")
    VOORGROND.write_text(str(os.getpid()))
    # Block the signals so that sigwait receives them instead of the default handlers; the
    # children were started before and keep their own masks.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    signal.sigwait({signal.SIGINT, signal.SIGTERM})
    console.print("stopping")
    _stop()


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


if __name__ == "__main__":
    main(sys.argv[1:])


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
