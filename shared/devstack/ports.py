"""Free TCP port helpers for the local services (all bound to 127.0.0.1)."""

from __future__ import annotations

import contextlib
import random
import socket
from collections.abc import Iterable
from pathlib import Path

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


LAAGSTE = 20_000
"""The lowest port :func:`free_ports` hands out for a listener."""


def vluchtig_bereik() -> tuple[int, int]:
    """The kernel's range of ephemeral ports, those it gives outgoing connections."""
    try:
        laag, hoog = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(laag), int(hoog)
    except (OSError, ValueError):
        return 32768, 60999


def free_ports(count: int, exclude: Iterable[int] = ()) -> list[int]:
    """``count`` distinct ports that are free right now (none of them in ``exclude``).

    Below the kernel's ephemeral range: a port the kernel picks (bind to 0) is one it also
    gives outgoing connections, so between choosing it and a server binding it, a Kafka or
    PostgreSQL client of a process already started could take it ("address already in use"
    starting the `make run` topology on free ports)."""
    excluded = set(exclude)
    ports: list[int] = []
    laag = vluchtig_bereik()[0]
    with contextlib.ExitStack() as held:
        # Hold every socket open until all are chosen, so they are distinct.
        if laag - LAAGSTE >= 1000:
            for port in random.sample(range(LAAGSTE, laag), min(laag - LAAGSTE, 2000)):
                if len(ports) == count:
                    break
                if port in excluded:
                    continue
                try:
                    held.enter_context(_bind(port))
                except OSError:
                    continue
                ports.append(port)
        while len(ports) < count:  # the kernel's choice, if that range is taken or too small
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
