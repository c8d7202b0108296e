"""Ports handed out for the local services' listeners lie below the kernel's ephemeral range:
a port the kernel gives outgoing connections could be taken by a client of a process already
started before the server meant for it binds it."""

from __future__ import annotations

import socket

from shared.devstack.ports import free_ports, vluchtig_bereik


def test_free_ports_are_distinct_free_and_never_ones_the_kernel_gives_clients() -> None:
    laag, _ = vluchtig_bereik()
    poorten = free_ports(50)
    assert len(set(poorten)) == 50
    assert all(p < laag for p in poorten), [p for p in poorten if p >= laag]
    with socket.socket() as s:  # each is free: a server can bind it
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", poorten[0]))


def test_an_excluded_port_is_not_handed_out() -> None:
    eerste = free_ports(5)
    assert not set(free_ports(20, exclude=eerste)) & set(eerste)
