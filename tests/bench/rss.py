"""Resident memory of a set of processes with their descendants, for `make bench`'s RSS rows.

RSS counts a page shared by several processes in each of them: PostgreSQL's shared buffers
once per backend, the libraries every Python process maps. PSS (proportional set size) divides
a shared page among the processes that map it, so a sum of PSS is the memory the set takes
together; both are printed."""

from __future__ import annotations

from pathlib import Path


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes and all their descendants (PostgreSQL's backends,
    the broker's JVM), in MB: the sum of their RSS."""
    return _som(pids, "status", "VmRSS:")


def pss_mb(pids: list[int]) -> float:
    """The same processes' proportional set size in MB: shared pages counted once."""
    return _som(pids, "smaps_rollup", "Pss:")


def _som(pids: list[int], bestand: str, veld: str) -> float:
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
            for regel in Path(f"/proc/{pid}/{bestand}").read_text().splitlines():
                if regel.startswith(veld):
                    totaal += int(regel.split()[1])
                    break
        except OSError:
            continue
    return totaal / 1024
