"""Free TCP port helpers for the local services (all bound to 127.0.0.1)."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterable

HOST = "127.0.0.1"


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Java and PostgreSQL both set SO_REUSEADDR on their listeners; doing the same here
    # means a port with only TIME_WAIT leftovers counts as free, while on Linux a port
    # with a live listener still fails to bind.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    return sock


def is_free(port: int) -> bool:
    """True if nothing listens on ``127.0.0.1:port`` right now."""
    try:
        _bind(port).close()
    except OSError:
        return False
    return True


def free_ports(count: int, exclude: Iterable[int] = ()) -> list[int]:
    """``count`` distinct ports that are free right now (none of them in ``exclude``)."""
    excluded = set(exclude)
    ports: list[int] = []
    with contextlib.ExitStack() as held:
        # Hold every socket open until all are chosen so the kernel hands out distinct ports.
        while len(ports) < count:
            sock = held.enter_context(_bind(0))
            port = sock.getsockname()[1]
            if port not in excluded:
                ports.append(port)
    return ports


def free_port(exclude: Iterable[int] = ()) -> int:
    """One port that is free right now."""
    return free_ports(1, exclude)[0]


def preferred_or_free(preferred: int, exclude: Iterable[int] = ()) -> int:
    """``preferred`` if it is free (and not excluded), else some other free port."""
    excluded = set(exclude)
    if preferred not in excluded and is_free(preferred):
        return preferred
    return free_port(excluded | {preferred})
