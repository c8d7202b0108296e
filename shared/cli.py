"""`vhh`: the platform's command line.

    vhh run                    start Kafka, PostgreSQL and every service, publish the demo data
    vhh run --house HUIS       start one house's own services (deploy/huizen/HUIS.toml)
    vhh stop                   stop everything `vhh run` started
    vhh topics apply           create or align the topics of the registry (idempotent)
    vhh topics list            the registry
    vhh acls apply             create the principals and ACLs derived from registry and houses
    vhh acls list              the principals and their ACLs
    vhh contracts export       write the event schemas into contracts/
    vhh demo                   publish the demo messages against a running platform
    vhh token --huis H --rol R [--organisatie O] [--naam N]
                               print a development bearer token (VHH_AUTH_SLEUTEL)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from shared.settings import REPO, KafkaSettings

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
    run.add_argument("--house", "--huis", dest="huis", metavar="HUIS",
                     help="start only this house's own services (deploy/huizen/HUIS.toml) "
                          "against the shared broker")
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
                       help="screener, procesregisseur, partner, analist or beheerder "
                            "(repeat for more)")
    token.add_argument("--organisatie", default="Zorg- en Veiligheidshuis")
    token.add_argument("--naam", default=None)
    token.add_argument("--namens", default=None, help="the partner acted on behalf of")
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

    if args.commando == "run":
        _run(demo=not args.geen_demo, detach=args.detach, huis=args.huis)
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
        print(_token(args.huis, args.rol, args.organisatie, args.naam, args.namens))
    elif args.commando == "wis":
        _wis(args.persoon_id, args.kenmerk, _lokale_kafka(args.bootstrap))
    elif args.commando == "demo":
        from shared.demo import draai

        draai(_lokale_kafka(args.bootstrap), args.api, console, _lokale_gebruikers())


def _token(huis: str, rollen: list[str], organisatie: str, naam: str | None,
           namens: str | None) -> str:
    """A token signed with the configured key; refused when that is not possible."""
    from shared.contracts.huizen import HuisId
    from shared.toegang import Rol, ToegangSettings, maak_token

    try:
        return maak_token(ToegangSettings(), huis=HuisId(huis), rollen=[Rol(r) for r in rollen],
                          naam=naam or f"{rollen[0]}@{huis}", organisatie=organisatie,
                          namens=namens)
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


def _run(demo: bool, detach: bool, huis: str | None = None) -> None:
    from shared import kafka_acls, supervisor
    from shared.devstack import kafka, postgres
    from shared.devstack.ports import preferred_or_free

    if huis is not None:
        _lees_huis(huis)  # a typo is refused before anything starts
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
    beheer = _lokale_kafka()
    gebruikers = _lokale_gebruikers() or {}
    _topics("apply", beheer)
    _acls("apply", beheer, gebruikers)
    if huis is not None:
        _run_huis(huis, beheer, gebruikers, pg, detach)
        return
    for service in supervisor.services_met_database():
        postgres.create_database(pg, service)
    env = {**os.environ, **beheer.omgeving(), **supervisor.database_omgeving(pg.url)}
    migraties, processen = supervisor.lees_platform()
    for m in migraties:
        subprocess.run([*m], cwd=REPO, env=env, check=True)
    for p in processen:
        principal = kafka_acls.principal_voor(p.naam)
        with console.status(f"starting {p.naam}"):
            pid = supervisor.start(p, RUN, {**env, **_als(beheer, gebruikers, principal)})
        console.print(f"[green]{p.naam}[/] running as {principal} (pid {pid}, log "
                      f"var/run/{p.naam}.log)")
    if demo:
        from shared.demo import draai

        draai(beheer, "http://127.0.0.1:8001", console, gebruikers)
    console.print(
        "\n[bold]Where to look[/]\n"
        "  [bold]the workbench (open this)[/]  http://127.0.0.1:8002/ (log in at /login: "
        "choose house, organisation and role)\n"
        "  a token for the APIs         .venv/bin/vhh token --huis parkstad --rol screener\n"
        "  intake API and its docs     http://127.0.0.1:8001/docs\n"
        "  triage API and its docs     http://127.0.0.1:8002/docs\n"
        "  regie API and its docs      http://127.0.0.1:8003/docs\n"
        "  nazorg dossiers             http://127.0.0.1:8004/werkbank/midden-limburg/nazorg\n"
        "  annual report               http://127.0.0.1:8005/werkbank/midden-limburg/jaarverslag\n"
        "  refused feed messages       http://127.0.0.1:8001/api/v1/afgewezen\n"
        "  publish the demo again      .venv/bin/vhh demo\n"
        "  the topics                  .venv/bin/vhh topics list\n"
        "  logs                        var/run/*.log\n"
    )
    if detach:
        console.print("running in the background; `make stop` ends it")
        return
    _wacht()


def _lees_huis(huis: str) -> Any:
    from shared import huisdeployment

    try:
        return huisdeployment.lees(huis)
    except huisdeployment.ConfiguratieFout as fout:
        console.print(f"[red]{fout}[/]")
        raise SystemExit(2) from None


def _als(beheer: KafkaSettings, gebruikers: dict[str, str], principal: str) -> dict[str, str]:
    """The VHH_KAFKA_* environment of a process logging in as ``principal``."""
    if principal == beheer.gebruiker or principal not in gebruikers:
        return beheer.omgeving()
    return beheer.als(principal, gebruikers[principal]).omgeving()


def _run_huis(huis: str, beheer: KafkaSettings, gebruikers: dict[str, str], pg: Any,
              detach: bool) -> None:
    """Start one house's own services against the shared broker and PostgreSQL, logged in as
    the house's own principal: Kafka itself keeps them to the house's topics."""
    from shared import kafka_acls, supervisor
    from shared.devstack import postgres

    d = _lees_huis(huis)
    for service in d.eigen:
        postgres.create_database(pg, d.database(service))
    provinciaal = {"nazorg": "http://127.0.0.1:8004", "reporting": "http://127.0.0.1:8005"}
    principal = kafka_acls.huis_principal(d.huis)
    env = {**os.environ, **_als(beheer, gebruikers, principal), **d.omgeving(pg.url, provinciaal)}
    for m in d.migraties():
        subprocess.run([*m], cwd=REPO, env=env, check=True)
    run_dir = RUN / "huizen" / d.huis.value
    for p in d.processen():
        with console.status(f"starting {p.naam}"):
            pid = supervisor.start(p, run_dir, env)
        console.print(f"[green]{p.naam}[/] running as {principal} (pid {pid}, log "
                      f"var/run/huizen/{d.huis.value}/{p.naam}.log)")
    console.print(f"\n{d.huis.value} runs {', '.join(d.eigen)} itself and uses the provincial "
                  f"{', '.join(d.provinciaal) or 'nothing'} (start those with `vhh run`).")
    if "triage" in d.eigen:
        console.print(f"  its workbench   http://127.0.0.1:{d.poort('triage')}/werkbank/"
                      f"{d.huis.value}/screening")
    if detach:
        console.print("running in the background; `make stop` ends it")
        return
    _wacht()


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
