"""An API keeps an idle connection open longer than its clients keep theirs: a client that
reuses its kept-alive connection after a pause of several seconds gets its answer, not a reset
(uvicorn closes after 5 s by default, and httpx reuses a connection for up to 5 s)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from fastapi import FastAPI

from shared.devstack.ports import free_port
from shared.proces import serveer

pytestmark = pytest.mark.integration

VERZOEK = b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"


def _antwoord(s: socket.socket) -> bytes:
    s.settimeout(10)
    return s.recv(65536)


def test_a_connection_idle_longer_than_uvicorns_default_is_still_served() -> None:
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "ja"}

    poort, gereed = free_port(), threading.Event()
    threading.Thread(target=serveer, args=(app, "127.0.0.1", poort, gereed.set),
                     daemon=True).start()
    assert gereed.wait(30)
    with socket.create_connection(("127.0.0.1", poort)) as s:
        s.sendall(VERZOEK)
        assert b" 200 " in _antwoord(s)
        time.sleep(6)  # the idle time under test: longer than uvicorn's default keep-alive
        s.sendall(VERZOEK)
        assert b" 200 " in _antwoord(s)
