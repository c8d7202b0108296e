"""Start the platform's processes, wait until each says it is ready, stop them by pid, and
restart one that exits unexpectedly (Toezicht)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
    _kinderen[proc.pid] = proc
    (run_dir / f"{p.naam}.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + timeout
    while not gereed.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_pid(proc.pid)
            tail = (run_dir / f"{p.naam}.log").read_text(errors="replace").splitlines()[-30:]
            raise RuntimeError(f"{p.naam} did not become ready:\n" + "\n".join(tail))
        time.sleep(0.05)  # poll the ready file the process writes itself
    return proc.pid


_kinderen: dict[int, subprocess.Popen[bytes]] = {}
"""The processes this process started: polled, so an exited child is reaped, not a zombie."""


def leeft(pid: int) -> bool:
    """Whether ``pid`` runs (an exited child of ours is reaped, not counted as alive)."""
    proc = _kinderen.get(pid)
    if proc is not None:
        return proc.poll() is None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


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
        pid = int(pidfile.read_text())
        # The pid file goes first: a supervisor that sees the process end then knows it was
        # stopped on purpose, and does not start it again.
        pidfile.unlink(missing_ok=True)
        if stop_pid(pid):
            gestopt.append(pidfile.stem)
    return gestopt


@dataclass
class Bewaakt:
    """A process under supervision, with what it takes to start it again."""

    proces: Proces
    run_dir: Path
    env: dict[str, str] = field(repr=False)
    pid: int
    gestart_op: float
    pogingen: int = 0
    """Restarts in a row that did not stay up for ``Toezicht.stabiel`` seconds."""
    herstart_op: float | None = None

    @property
    def pidfile(self) -> Path:
        return self.run_dir / f"{self.proces.naam}.pid"


class Toezicht:
    """Restarts a process that exits unexpectedly, after a back-off that doubles with every
    restart that does not stay up (1 s, 2 s, 4 s ... at most ``max_wacht``), and says so.

    A process whose pid file is gone was stopped on purpose (`vhh stop` removes the file
    before it signals) and is no longer watched. ``controleer`` looks once; `vhh run` calls it
    every second."""

    def __init__(self, melding: Callable[[str], None], *, max_wacht: float = 60,
                 stabiel: float = 60, klok: Callable[[], float] = time.monotonic,
                 starter: Callable[[Proces, Path, dict[str, str]], int] | None = None) -> None:
        self.melding, self.max_wacht, self.stabiel, self.klok = melding, max_wacht, stabiel, klok
        self.starter = starter or start
        self.bewaakt: list[Bewaakt] = []

    def bewaak(self, p: Proces, run_dir: Path, env: dict[str, str], pid: int) -> None:
        self.bewaakt.append(Bewaakt(p, run_dir, env, pid, self.klok()))

    def controleer(self) -> None:
        for b in list(self.bewaakt):
            if b.herstart_op is None:
                if leeft(b.pid):
                    continue
                if not b.pidfile.exists() or b.pidfile.read_text().strip() != str(b.pid):
                    self.bewaakt.remove(b)  # stopped on purpose
                    continue
                code = _kinderen[b.pid].returncode if b.pid in _kinderen else None
                if self.klok() - b.gestart_op >= self.stabiel:
                    b.pogingen = 0  # it ran long enough: start the back-off over
                wacht = min(self.max_wacht, 2.0 ** b.pogingen)
                b.herstart_op = self.klok() + wacht
                self.melding(f"{b.proces.naam} (pid {b.pid}) exited unexpectedly"
                             + (f" with code {code}" if code is not None else "")
                             + f"; restarting in {wacht:.0f}s (restart {b.pogingen + 1}), log "
                             f"{b.run_dir / (b.proces.naam + '.log')}")
            if b.herstart_op is not None and self.klok() >= b.herstart_op:
                b.pogingen += 1
                try:
                    b.pid = self.starter(b.proces, b.run_dir, b.env)
                except RuntimeError as fout:
                    wacht = min(self.max_wacht, 2.0 ** b.pogingen)
                    b.herstart_op = self.klok() + wacht
                    self.melding(f"{b.proces.naam} did not start again; next try in "
                                 f"{wacht:.0f}s: {str(fout).splitlines()[0]}")
                    continue
                b.herstart_op, b.gestart_op = None, self.klok()
                self.melding(f"{b.proces.naam} restarted (pid {b.pid})")
