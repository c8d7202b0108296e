"""Command line: ``python -m shared.devstack {kafka|postgres} {start|stop|status}``.

Examples::

    python -m shared.devstack kafka start              # var/kafka, 127.0.0.1:9092
    python -m shared.devstack postgres start --port 55433
    python -m shared.devstack postgres status
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from shared.devstack import REPO_ROOT, DevstackError, kafka, postgres
from shared.devstack.ports import preferred_or_free

KAFKA_PORT = 9092
KAFKA_CONTROLLER_PORT = 9093
# Not 5432: a system PostgreSQL may already listen there.
POSTGRES_PORT = 55432


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _fallback(preferred: int, what: str, exclude: Sequence[int] = ()) -> int:
    """``preferred`` if free, else a free port (with a warning)."""
    port = preferred_or_free(preferred, exclude)
    if port != preferred:
        _warn(f"{what} port {preferred} is taken; using {port}")
    return port


def _kafka(action: str, data_dir: Path, port: int | None, controller_port: int | None) -> int:
    if action == "start":
        # Defaults apply only to a fresh data dir; an existing one keeps its recorded ports.
        if kafka.saved_ports(data_dir) is None and kafka.status(data_dir) is None:
            if port is None:
                taken = [controller_port] if controller_port is not None else []
                port = _fallback(KAFKA_PORT, "kafka", exclude=taken)
            if controller_port is None:
                controller_port = _fallback(KAFKA_CONTROLLER_PORT, "controller", exclude=[port])
        broker = kafka.start(data_dir, port=port, controller_port=controller_port)
        print(broker.bootstrap)
        print(f"kafka running: pid {broker.pid}, data {broker.data_dir}", file=sys.stderr)
        return 0
    if action == "stop":
        stopped = kafka.stop(data_dir)
        print("kafka stopped" if stopped else "kafka was not running")
        return 0
    found = kafka.status(data_dir)
    if found is None:
        print(f"kafka not running for {data_dir}")
        return 1
    print(f"{found.bootstrap} (pid {found.pid}, data {found.data_dir})")
    return 0


def _postgres(action: str, data_dir: Path, port: int | None) -> int:
    if action == "start":
        if port is None and postgres.saved_port(data_dir) is None:
            port = _fallback(POSTGRES_PORT, "postgres")
        server = postgres.start(data_dir, port=port)
        print(server.url())
        print(f"postgres running: pid {server.pid}, data {server.data_dir}", file=sys.stderr)
        return 0
    if action == "stop":
        stopped = postgres.stop(data_dir)
        print("postgres stopped" if stopped else "postgres was not running")
        return 0
    found = postgres.status(data_dir)
    if found is None:
        print(f"postgres not running for {data_dir}")
        return 1
    print(f"{found.url()} (pid {found.pid}, data {found.data_dir})")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m shared.devstack", description="Local Kafka and PostgreSQL for development."
    )
    services = parser.add_subparsers(dest="service", required=True)
    for name, default_dir in (("kafka", "var/kafka"), ("postgres", "var/postgres")):
        sub = services.add_parser(name, help=f"local {name}")
        sub.add_argument("action", choices=["start", "stop", "status"])
        sub.add_argument(
            "--data-dir", type=Path, default=REPO_ROOT / default_dir,
            help=f"data directory (default: {default_dir} in the repo)",
        )  # fmt: skip
        sub.add_argument("--port", type=int, help="listen port (default: recorded, else preset)")
        if name == "kafka":
            sub.add_argument("--controller-port", type=int, help="KRaft controller port")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.service == "kafka":
            return _kafka(args.action, args.data_dir, args.port, args.controller_port)
        return _postgres(args.action, args.data_dir, args.port)
    except DevstackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
