"""Backup and restore of the key vault: restoring a copy older than an erasure brings the erased
person's key back, and replaying ``limburg.wissingen.v1`` destroys it again, so every erased
person stays erased (on the real broker and PostgreSQL, with pg_dump and pg_restore)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from shared import herstel, wissing
from shared.contracts.privacy import Wisgrond
from shared.db import maak_engine
from shared.persoonsgegevens import ontsleutel, versleutel_voor
from shared.sleutelkluis import Sleutelkluis, migreer


def test_een_herstelde_oude_kluis_en_herhaalde_wissingen_laten_gewisten_gewist(
        kafka_broker, nieuwe_database: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    migreer(nieuwe_database)
    kluis = Sleutelkluis(maak_engine(nieuwe_database), os.urandom(32))
    gewiste, blijvende = uuid.uuid4(), uuid.uuid4()
    sleutels = kluis.sleutels_voor([gewiste, blijvende], "melding")
    van_gewiste = {"naam": versleutel_voor("Hermeline Gewist", {gewiste: sleutels[gewiste]})}
    van_blijvende = {"naam": versleutel_voor("Bert Blijft", {blijvende: sleutels[blijvende]})}

    [kopie] = herstel.backup({"sleutelkluis": nieuwe_database}, tmp_path / "backup")
    wissing.wis(gewiste, Wisgrond.VERZOEK, "AVG-2026-17", kluis=kluis,
                kafka=kafka_broker.beheer)
    assert ontsleutel(van_gewiste, kluis) == {"naam": None}

    herstel.herstel(kopie, nieuwe_database)
    # the older copy knows nothing of the erasure: the key is back, the data readable again
    assert not kluis.is_vernietigd(gewiste)
    assert ontsleutel(van_gewiste, kluis) == {"naam": "Hermeline Gewist"}

    herhaald = herstel.herhaal_wissingen(kluis, kafka_broker.beheer)
    assert herhaald.opnieuw_vernietigd >= 1 and herhaald.wissingen >= 1
    assert kluis.is_vernietigd(gewiste) and kluis.sleutels([gewiste]) == {gewiste: None}
    assert ontsleutel(van_gewiste, kluis) == {"naam": None}
    assert ontsleutel(van_blijvende, kluis) == {"naam": "Bert Blijft"}
    # a second replay changes nothing
    assert herstel.herhaal_wissingen(kluis, kafka_broker.beheer).opnieuw_vernietigd == 0
