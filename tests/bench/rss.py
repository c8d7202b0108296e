"""Resident memory of a set of processes with their descendants, for `make bench`'s RSS rows."""

from __future__ import annotations

from pathlib import Path


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes and all their descendants (PostgreSQL's backends,
    the broker's JVM), in MB."""
    kinderen: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            velden = stat.read_text().rsplit(")", 1)[1].split()
            kinderen.setdefault(int(velden[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    gezien: set[int] = set()
    rij = list(pids)
    while rij:
        pid = rij.pop()
        if pid not in gezien:
            gezien.add(pid)
            rij += kinderen.get(pid, [])
    totaal = 0
    for pid in gezien:
        try:
            for regel in Path(f"/proc/{pid}/status").read_text().splitlines():
                if regel.startswith("VmRSS:"):
                    totaal += int(regel.split()[1])
        except OSError:
            continue
    return totaal / 1024
