"""Local development services without Docker: a Kafka broker and a PostgreSQL server.

The launchers live in :mod:`shared.devstack.kafka` and :mod:`shared.devstack.postgres`;
``python -m shared.devstack`` is the command-line entry point. This module holds the
process bookkeeping both launchers share: spawning detached processes, pid files,
liveness checks, signalling, small JSON state files and log tails.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

__all__ = ["REPO_ROOT", "DevstackError"]

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository checkout this package belongs to (two levels above ``shared/devstack``)."""

POLL_INTERVAL = 0.1
"""Seconds between readiness / exit checks."""

# Popen objects for processes started by this Python process. Keeping them referenced
# lets us reap exited children (no zombies that still look alive to kill(pid, 0)) and
# avoids "subprocess is still running" ResourceWarnings when the object is collected.
_children: dict[int, subprocess.Popen[bytes]] = {}


class DevstackError(RuntimeError):
    """A local service could not be prepared, started or stopped."""


def spawn(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    log_path: Path,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    user: int | None = None,
    group: int | None = None,
) -> int:
    """Start ``cmd`` detached in its own session, output appended to ``log_path``; return pid.

    ``user``/``group`` switch the child to that uid/gid (and drop supplementary groups)
    directly in the forked child, so the returned pid *is* the service process.
    """
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [os.fspath(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=user,
            group=group,
            extra_groups=[] if user is not None else None,
        )
    _children[proc.pid] = proc
    return proc.pid


def is_alive(pid: int) -> bool:
    """True if ``pid`` is a running (not zombie) process."""
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # Field 3 is the state; the command name before it is parenthesised and may hold spaces.
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def cmdline(pid: int) -> list[str]:
    """The argv of ``pid`` (empty if the process is gone or unreadable)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def read_pid(path: Path) -> int | None:
    """The pid stored in ``path``, or None if the file is missing or malformed."""
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def write_pid(path: Path, pid: int) -> None:
    """Record ``pid`` in ``path``."""
    path.write_text(f"{pid}\n")


def remove_file(path: Path) -> None:
    """Delete ``path`` if it exists."""
    path.unlink(missing_ok=True)


def read_state(path: Path) -> dict[str, int]:
    """The JSON state stored at ``path`` (empty dict if absent or unreadable)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_state(path: Path, state: Mapping[str, int]) -> None:
    """Store ``state`` as JSON at ``path`` (atomically, so readers never see half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(dict(state), indent=2) + "\n")
    tmp.replace(path)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (created if missing) for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def wait_exit(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for ``pid`` to exit; True if it did."""
    deadline = time.monotonic() + timeout
    while is_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_INTERVAL)
    _children.pop(pid, None)
    return True


def send_signal(pid: int, sig: signal.Signals, *, group: bool = False) -> None:
    """Send ``sig`` to ``pid`` (or to its process group, if it leads one); ignore if gone."""
    with contextlib.suppress(ProcessLookupError):
        # Only signal the group when pid leads it: our launchers start services with
        # start_new_session=True, so that group holds that service's processes and nothing else.
        if group and os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def terminate(
    pid: int, steps: Sequence[tuple[signal.Signals, float]], *, group: bool = False
) -> None:
    """Send each signal in ``steps`` in turn, waiting its timeout for ``pid`` to exit.

    SIGKILL always goes to the whole process group (when ``pid`` leads it) so that no
    orphaned helpers of the service stay behind.
    """
    for sig, timeout in steps:
        send_signal(pid, sig, group=group or sig == signal.SIGKILL)
        if wait_exit(pid, timeout):
            return
    raise DevstackError(f"process {pid} did not exit after {[s.name for s, _ in steps]}")


def poll_until(ready: Callable[[], bool], *, pid: int, timeout: float) -> str:
    """Poll ``ready`` until it returns True; returns "ready", "exited" or "timeout".

    Stops early with "exited" when ``pid`` dies, so a crashing service fails fast.
    """
    deadline = time.monotonic() + timeout
    while True:
        if not is_alive(pid):
            return "exited"
        if ready():
            return "ready"
        if time.monotonic() >= deadline:
            return "timeout"
        time.sleep(POLL_INTERVAL)


def log_size(path: Path) -> int:
    """Current size of ``path`` in bytes (0 if missing): where the next run's output starts."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_log(path: Path, offset: int = 0) -> str:
    """Text of ``path`` from byte ``offset`` on ("" if missing)."""
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read().decode(errors="replace")
    except OSError:
        return ""


def log_tail(path: Path, offset: int = 0, lines: int = 40) -> str:
    """The last ``lines`` lines of ``path`` written after byte ``offset``."""
    text = read_log(path, offset).splitlines()[-lines:]
    return "\n".join(text) if text else f"(no output in {path})"
