"""Local PostgreSQL server in a private data directory, listening on 127.0.0.1 only.

Uses the distribution's binaries (``/usr/lib/postgresql/<version>/bin``). PostgreSQL
refuses to run as root, so when we are root the cluster belongs to the ``postgres``
OS user (or a system user ``vhhpg`` created on demand). Authentication is ``trust``
for the superuser ``vhh``; the Unix socket lives in the data directory. Besides the
cluster files the data directory holds ``postgres.log``, ``postgres.pid`` and the
chosen port (``devstack.json``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import errors, sql

from shared.devstack import (
    DevstackError,
    cmdline,
    file_lock,
    is_alive,
    log_size,
    log_tail,
    poll_until,
    read_pid,
    read_state,
    remove_file,
    spawn,
    terminate,
    write_pid,
    write_state,
)
from shared.devstack.ports import HOST, free_port, is_free

SUPERUSER = "vhh"
MAX_CONNECTIONS = 400
"""`vhh run` starts some forty service processes, each with its own connection pool: idle they
hold about 55 connections, close to PostgreSQL's default of 100 once pages are being used."""
IDLE_SESSION_TIMEOUT = "15s"
"""A connection idle this long outside a transaction is closed by the server. The services'
pools take the most recently used connection first (shared.db), so a quiet house keeps the few
it uses and gives the rest back, instead of every connection its busiest moment opened; the
pools reconnect on the next checkout (pre-ping). A connection that must live while idle (a
relay's LISTEN, a clock's advisory lock) turns it off for its own session."""
DEFAULT_DATABASE = "vhh"
_FALLBACK_OS_USER = "vhhpg"
_INSTALL_ROOT = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class PostgresServer:
    """A running local server."""

    data_dir: Path
    port: int
    pid: int

    def url(self, database: str = DEFAULT_DATABASE) -> str:
        """SQLAlchemy URL for ``database`` (trust auth on loopback, so no password)."""
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def conninfo(self, database: str = DEFAULT_DATABASE) -> str:
        """libpq connection string for ``database`` (for psycopg / psql)."""
        return f"host={HOST} port={self.port} user={SUPERUSER} dbname={database}"


@dataclass(frozen=True)
class _Paths:
    """The files a server keeps in its data directory."""

    data_dir: Path

    @property
    def version_file(self) -> Path:
        # Written by initdb; its presence means the cluster is initialised.
        return self.data_dir / "PG_VERSION"

    @property
    def conf(self) -> Path:
        return self.data_dir / "postgresql.conf"

    @property
    def log(self) -> Path:
        return self.data_dir / "postgres.log"

    @property
    def pid(self) -> Path:
        return self.data_dir / "postgres.pid"

    @property
    def state(self) -> Path:
        return self.data_dir / "devstack.json"

    @property
    def lock(self) -> Path:
        # Beside the data dir, not in it: initdb wants an empty directory.
        return self.data_dir.with_name(f".{self.data_dir.name}.devstack.lock")


# -- installation ----------------------------------------------------------------------


def ensure_installed() -> Path:
    """The directory holding initdb and postgres; installs the Debian package if needed."""
    bindir = _find_bindir()
    if bindir is not None:
        return bindir
    apt = shutil.which("apt-get")
    if apt is None:
        raise DevstackError(f"no PostgreSQL under {_INSTALL_ROOT} and no apt-get to install it")
    # Passing the environment on is unavoidable; noninteractive keeps debconf from prompting.
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in ([apt, "update"], [apt, "install", "-y", "postgresql"]):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise DevstackError(
                f"{' '.join(cmd)} failed (exit {result.returncode}):\n"
                + "\n".join((result.stdout + result.stderr).strip().splitlines()[-40:])
            )
    bindir = _find_bindir()
    if bindir is None:
        raise DevstackError(f"installed 'postgresql' but found no binaries under {_INSTALL_ROOT}")
    return bindir


def _find_bindir() -> Path | None:
    def version(bindir: Path) -> tuple[int, ...]:
        parts = bindir.parent.name.split(".")
        return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else (0,)

    candidates = [
        b
        for b in _INSTALL_ROOT.glob("*/bin")
        if (b / "initdb").is_file() and (b / "postgres").is_file()
    ]
    return max(candidates, key=version, default=None)


def _os_user() -> pwd.struct_passwd:
    """The OS account the server runs as: ourselves, unless we are root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in ("postgres", _FALLBACK_OS_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
         _FALLBACK_OS_USER],
        check=True, capture_output=True,
    )  # fmt: skip
    return pwd.getpwnam(_FALLBACK_OS_USER)


def _check_traversable(directory: Path, user: pwd.struct_passwd) -> None:
    """Fail clearly if ``user`` cannot reach ``directory`` (needs +x on every ancestor)."""
    groups = set(os.getgrouplist(user.pw_name, user.pw_gid))
    for parent in reversed(directory.parents):
        st = parent.stat()
        if st.st_uid == user.pw_uid:
            ok = st.st_mode & stat.S_IXUSR
        elif st.st_gid in groups:
            ok = st.st_mode & stat.S_IXGRP
        else:
            ok = st.st_mode & stat.S_IXOTH
        if not ok:
            raise DevstackError(
                f"PostgreSQL runs as OS user {user.pw_name!r}, which cannot enter {parent} "
                f"(mode {stat.filemode(st.st_mode)}). Use a data dir whose parents are "
                f"traversable (e.g. the repo's var/ or a fresh dir under /tmp), or run "
                f"`chmod o+x {parent}`."
            )


# -- lifecycle -------------------------------------------------------------------------


def status(data_dir: Path) -> PostgresServer | None:
    """The server running for ``data_dir``, or None."""
    paths = _Paths(data_dir.resolve())
    pid = read_pid(paths.pid)
    if pid is None or not _is_our_server(pid, paths):
        return None
    port = read_state(paths.state).get("port")
    return None if port is None else PostgresServer(paths.data_dir, port, pid)


def saved_port(data_dir: Path) -> int | None:
    """The port recorded for ``data_dir`` by an earlier start, if any."""
    return read_state(_Paths(data_dir.resolve()).state).get("port")


def start(data_dir: Path, port: int | None = None, timeout: float = 60) -> PostgresServer:
    """Start (or return the already running) server for ``data_dir``; wait until it accepts
    connections and make sure the database ``vhh`` exists.

    The port defaults to the one recorded by an earlier start, else to a free port. The
    cluster is initialised on first use only. A server that already runs for ``data_dir``
    is returned as is (its port wins over the argument).
    """
    paths = _Paths(data_dir.resolve())
    # Serialise concurrent starts of the same data dir (e.g. parallel test sessions):
    # the second caller waits and then finds the first one's server running.
    with file_lock(paths.lock):
        return status(paths.data_dir) or _start(paths, port, timeout)


def _start(paths: _Paths, port: int | None, timeout: float) -> PostgresServer:
    bindir = ensure_installed()
    user = _os_user()
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    _check_traversable(paths.data_dir, user)
    port = port if port is not None else saved_port(paths.data_dir) or free_port()
    if not is_free(port):
        raise DevstackError(f"port {port} on {HOST} is in use; pass another port")
    if not paths.version_file.exists():
        _initdb(bindir, paths, user, port)
    write_state(paths.state, {"port": port})

    offset = log_size(paths.log)
    # Settings on the command line win over postgresql.conf, so a changed port or a moved
    # data dir (socket path) takes effect without rewriting the config.
    cmd: list[str | os.PathLike[str]] = [
        bindir / "postgres", "-D", paths.data_dir,
        "-p", str(port), "-h", HOST, "-k", paths.data_dir,
        "-c", f"max_connections={MAX_CONNECTIONS}",
        "-c", f"idle_session_timeout={IDLE_SESSION_TIMEOUT}",
    ]  # fmt: skip
    as_root = os.geteuid() == 0
    pid = spawn(
        cmd, log_path=paths.log, cwd=paths.data_dir, env=_env(user),
        user=user.pw_uid if as_root else None, group=user.pw_gid if as_root else None,
    )  # fmt: skip
    write_pid(paths.pid, pid)
    server = PostgresServer(paths.data_dir, port, pid)

    outcome = poll_until(lambda: _accepts_connections(server), pid=pid, timeout=timeout)
    if outcome != "ready":
        terminate(pid, [(signal.SIGKILL, 10)])
        remove_file(paths.pid)
        why = "exited during startup" if outcome == "exited" else f"not ready after {timeout}s"
        raise DevstackError(
            f"PostgreSQL in {paths.data_dir} {why}; last lines of {paths.log}:\n"
            + log_tail(paths.log, offset)
        )
    create_database(server, DEFAULT_DATABASE)
    return server


def stop(data_dir: Path, timeout: float = 30) -> bool:
    """Stop the server recorded for ``data_dir``; True if one was running.

    Smart shutdown (SIGTERM) first, then fast (SIGINT, disconnects clients), then SIGKILL.
    """
    paths = _Paths(data_dir.resolve())
    server = status(paths.data_dir)
    if server is None:
        remove_file(paths.pid)  # stale: the recorded process is gone or is not our server
        return False
    # Smart shutdown waits for clients to leave, which a leaked connection can block
    # forever; give it a third of the time and fast shutdown the rest.
    steps = [(signal.SIGTERM, timeout / 3), (signal.SIGINT, timeout * 2 / 3), (signal.SIGKILL, 10)]
    terminate(server.pid, steps)
    remove_file(paths.pid)
    return True


def create_database(server: PostgresServer, name: str) -> None:
    """Create database ``name`` on ``server`` unless it already exists."""
    with psycopg.connect(server.conninfo("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return
        # Someone else may create it between the check and here: that is fine too.
        with contextlib.suppress(errors.DuplicateDatabase):
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# -- helpers ---------------------------------------------------------------------------


def _is_our_server(pid: int, paths: _Paths) -> bool:
    # Guards against pid reuse: the process must be a postmaster for this data dir.
    args = cmdline(pid)
    return (
        is_alive(pid)
        and bool(args)
        and Path(args[0]).name == "postgres"
        and "-D" in args
        and str(paths.data_dir) in args
    )


def _env(user: pwd.struct_passwd) -> dict[str, str]:
    # A minimal environment for the server's OS user: root's HOME is not readable by it,
    # and a fixed C locale keeps messages and initdb independent of the caller's locale.
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": user.pw_dir,
        "USER": user.pw_name,
        "LOGNAME": user.pw_name,
        "LC_ALL": "C",
    }


def _initdb(bindir: Path, paths: _Paths, user: pwd.struct_passwd, port: int) -> None:
    if os.geteuid() == 0:
        os.chown(paths.data_dir, user.pw_uid, user.pw_gid)
    # PostgreSQL insists that only its owner can read the data directory.
    paths.data_dir.chmod(0o700)
    cmd = [
        str(bindir / "initdb"), "-D", str(paths.data_dir), "--auth=trust",
        f"--username={SUPERUSER}", "--encoding=UTF8", "--no-locale", "--no-instructions",
    ]  # fmt: skip
    as_root = os.geteuid() == 0
    result = subprocess.run(
        cmd, cwd=paths.data_dir, env=_env(user), capture_output=True, text=True, check=False,
        user=user.pw_uid if as_root else None, group=user.pw_gid if as_root else None,
        extra_groups=[] if as_root else None,
    )  # fmt: skip
    if result.returncode != 0:
        raise DevstackError(
            f"initdb failed for {paths.data_dir} (exit {result.returncode}):\n"
            + (result.stdout + result.stderr).strip()
        )
    # initdb -c only exists from PostgreSQL 16 on; appending works for every version
    # (the last occurrence of a setting wins) and keeps `pg_ctl start` by hand equivalent.
    with paths.conf.open("a") as conf:
        conf.write(
            "\n# Added by shared/devstack/postgres.py: loopback only, socket in the data dir.\n"
            "# The launcher passes -p/-h/-k on the command line too, which take precedence.\n"
            f"listen_addresses = '{HOST}'\n"
            f"port = {port}\n"
            f"unix_socket_directories = '{paths.data_dir}'\n"
        )


def _accepts_connections(server: PostgresServer) -> bool:
    try:
        with psycopg.connect(server.conninfo("postgres"), connect_timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True
