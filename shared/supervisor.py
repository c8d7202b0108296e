"""Start the platform's processes, wait until each says it is ready, and stop them by pid."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from shared import diensten as dienstregister
from shared.diensten import PLATFORM
from shared.settings import REPO


@dataclass(frozen=True)
class Proces:
    naam: str
    commando: list[str]
    dienst: str
    """The service the process belongs to: ``intake-feeds`` is intake's."""


def lees_platform(pad: Path = PLATFORM) -> tuple[list[list[str]], list[Proces]]:
    """Every service's migrations and processes, in the registry's order."""
    return van_diensten([d.naam for d in dienstregister.lees(pad)], pad)


def van_diensten(diensten: Iterable[str], pad: Path = PLATFORM
                 ) -> tuple[list[list[str]], list[Proces]]:
    """The migrations and processes of these services only, in the registry's order
    (deploy/platform.toml)."""
    gekozen = [d for d in dienstregister.lees(pad) if d.naam in set(diensten)]
    return ([d.migratie for d in gekozen],
            [Proces(f"{d.naam}-{p}", d.commando(p), d.naam) for d in gekozen for p in d.processen])


def start(p: Proces, run_dir: Path, env: dict[str, str], timeout: float = 90) -> int:
    """Start a process detached, with its log in run_dir; return its pid once it is ready."""
    run_dir.mkdir(parents=True, exist_ok=True)
    gereed = run_dir / f"{p.naam}.gereed"
    gereed.unlink(missing_ok=True)
    log = (run_dir / f"{p.naam}.log").open("ab")
    proc = subprocess.Popen([*p.commando, "--gereed-bestand", str(gereed)], cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    (run_dir / f"{p.naam}.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + timeout
    while not gereed.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_pid(proc.pid)
            tail = (run_dir / f"{p.naam}.log").read_text(errors="replace").splitlines()[-30:]
            raise RuntimeError(f"{p.naam} did not become ready:\n" + "\n".join(tail))
        time.sleep(0.05)  # poll the ready file the process writes itself
    return proc.pid


def stop_pid(pid: int, timeout: float = 20) -> bool:
    """SIGTERM the process group, SIGKILL after the timeout. True if it was running."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass  # not our child: poll for its existence instead
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    os.killpg(pid, signal.SIGKILL)
    return True


def stop_alle(run_dir: Path) -> list[str]:
    gestopt = []
    for pidfile in sorted(run_dir.glob("*.pid")):
        if stop_pid(int(pidfile.read_text())):
            gestopt.append(pidfile.stem)
        pidfile.unlink(missing_ok=True)
    return gestopt
