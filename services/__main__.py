"""`python -m services samen <dienst> [<dienst> ...]`: several services of one part in one
process, the lean development default of `vhh run` (a house's own triage, regie, reporting and
nazorg, logged in as the house's principal). Each service is bootstrapped with its own settings
(VHH_<DIENST>_*) and runs every one of its processes (API on its own port, worker, relay,
clocks), exactly as `python -m services.<dienst> samen` runs them alone; production starts each
process of each service on its own."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from shared.logboek import configureer_logging
from shared.proces import SAMEN, Dienst, gereed_signaal, samen_diensten

DIENSTEN = ("intake", "triage", "regie", "nazorg", "reporting")


def dienst(naam: str) -> Dienst:
    """The service's own definition, from its ``python -m services.<naam>``."""
    spec: Dienst = importlib.import_module(f"services.{naam}.__main__").DIENST
    return spec


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services")
    parser.add_argument("proces", choices=[SAMEN])
    parser.add_argument("diensten", nargs="+", choices=DIENSTEN, metavar="dienst",
                        help=f"one or more of {', '.join(DIENSTEN)}")
    parser.add_argument("--gereed-bestand", type=Path,
                        help="file to create once every part is ready (for supervisors)")
    args = parser.parse_args(argv)
    if len(set(args.diensten)) != len(args.diensten):
        parser.error(f"a service named twice: {' '.join(args.diensten)}")
    configureer_logging()
    samen_diensten([dienst(d) for d in args.diensten], gereed_signaal(args.gereed_bestand))


if __name__ == "__main__":
    main()
