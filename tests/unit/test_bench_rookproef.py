"""The encryption benchmark runs at a tiny size in the unit tier: a change that breaks it fails
CI instead of being found at the next `make bench` (no figures are judged here)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.bench import klanten, tabel, versleuteling


def test_versleutel_benchmark_draait_en_meldt_elke_rij(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(versleuteling, "N", 20)
    versleuteling.main()
    uit = capsys.readouterr().out
    for rij in ("publish: baseline", "publish: crypto only", "publish: with the vault",
                "publish: vault once per", "consume: baseline", "consume: crypto only",
                "consume: with the vault", "consume: vault once per"):
        assert rij in uit
    assert "ratio 1.000" in uit  # each baseline is printed against itself


def test_the_bench_table_prints_every_row_beside_its_baseline_and_writes_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rijen = [tabel.Rij("raw aiokafka produce+consume (baseline)", 100.0, "msg/s",
                       "raw aiokafka", 100.0),
             tabel.Rij("feed -> house topic", 10.0, "meldingen/s", "raw aiokafka", 100.0,
                       ">= 0.075 of the baseline"),
             tabel.Rij("annual report rebuild", None, "not measured", doel=">= 20,000/s")]
    tabel.druk_af(rijen)
    uit = capsys.readouterr().out
    assert "1.000" in uit and "0.100" in uit and ">= 20,000/s" in uit
    gelezen = json.loads(tabel.schrijf(rijen, tmp_path).read_text())
    assert [r["verhouding"] for r in gelezen["rijen"]] == [1.0, 0.1, None]


def test_rss_counts_a_process_and_its_children() -> None:
    import os
    import subprocess
    import sys

    kind = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                            stdin=subprocess.PIPE)
    try:
        assert tabel.rss_mb([os.getpid()]) > tabel.rss_mb([kind.pid]) > 0
    finally:
        kind.communicate(b"")


class _Partner(BaseHTTPRequestHandler):
    """Answers the first POSTs 201 and refuses from the fifth on, on keep-alive connections."""

    protocol_version = "HTTP/1.1"
    ontvangen: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        self.ontvangen.append(self.rfile.read(int(self.headers["Content-Length"])))
        status, lichaam = (201, b'{"id": "x"}') if len(self.ontvangen) <= 4 else (
            422, b'{"detail": "gemeentecode: onbekend"}')
        self.send_response(status)
        self.send_header("Content-Length", str(len(lichaam)))
        self.end_headers()
        self.wfile.write(lichaam)

    def log_message(self, *args: object) -> None:
        pass


def test_the_bench_clients_post_every_body_once_and_stop_at_a_refusal() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Partner)
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/v1/meldingen"
        begin, momenten = klanten.post_alle(url, {"Authorization": "Bearer t"},
                                            [{"i": i} for i in range(4)], clients=3)
        assert sorted(json.loads(b)["i"] for b in _Partner.ontvangen) == [0, 1, 2, 3]
        assert all(m > begin for m in momenten)
        with pytest.raises(klanten.Geweigerd, match=r"422 instead of 201.*gemeentecode"):
            klanten.post_alle(url, {}, [{"i": 9}], clients=1)
    finally:
        server.shutdown()
        server.server_close()
