"""Replay equals live on one broker: triage's screening queue and regie's cases, rebuilt from
offset 0 into an empty database, have the state hash of the live projection (the full version
runs after the fault test: `make chaos`)."""

from __future__ import annotations

import uuid

import pytest

from shared import herbouw
from shared.db import maak_engine
from tests.integration.keten import (
    als,
    casus_voor,
    in_wachtrij,
    ok,
    stuur_politiemelding,
    wacht_tot,
)

HUIS = "maastricht-heuvelland"
FEITEN = {"leefgebieden": ["huisvesting", "gezin_en_opvoeding", "justitie"],
          "leidt_tot_criminaliteit_of_overlast": True, "ketens": ["straf", "veilig_thuis"],
          "impact_op_systeem": True, "reguliere_hulp_vastgelopen": True,
          "doelgroep": "huiselijk_geweld"}


@pytest.mark.parametrize("dienst", ["triage", "regie"])
def test_a_rebuild_from_offset_zero_has_the_live_state_hash(keten, postgres_server, monkeypatch,
                                                            dienst):  # type: ignore[no-untyped-def]
    from shared.devstack import postgres

    berichten = [stuur_politiemelding(keten.intake.kafka) for _ in range(3)]
    [mid, *_] = [wacht_tot(lambda b=b: in_wachtrij(keten.triage, HUIS, b["id"]),
                           wat="melding in triage")["melding"]["melding_id"] for b in berichten]
    scr = als("screener", "screener")
    ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/advies", json={"feiten": FEITEN}))
    besluit = ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/besluit",
                          json={"route": "persoonsgerichte_aanpak", "soort": "integrale_aanpak"}))
    wacht_tot(lambda: casus_voor(keten.regie, besluit["besluit_id"]), wat="case opened by regie")

    for naam, waarde in keten.env.items():
        if naam.startswith("VHH_"):
            monkeypatch.setenv(naam, waarde)
    doel = f"herbouw_{dienst}_{uuid.uuid4().hex[:8]}"
    postgres.create_database(postgres_server, doel)
    assert herbouw.herbouw(dienst, postgres_server.url(doel)).records > 0
    rebuilt = maak_engine(postgres_server.url(doel))
    try:
        nieuw = herbouw.tabel_hashes(rebuilt, dienst)
    finally:
        rebuilt.dispose()
    assert nieuw[{"triage": "melding", "regie": "casus"}[dienst]][0] > 0
    # The live worker may still be on the last records the rebuild read: poll until it is.
    live = maak_engine(keten.env[f"VHH_{dienst.upper()}_DATABASE_URL"])
    try:
        wacht_tot(lambda: herbouw.tabel_hashes(live, dienst) == nieuw,
                  wat=f"{dienst}'s live projection equal to the rebuilt one")
    except AssertionError:
        rebuilt = maak_engine(postgres_server.url(doel))
        try:
            raise AssertionError("\n".join(herbouw.verschil(live, rebuilt, dienst))) from None
        finally:
            rebuilt.dispose()
    finally:
        live.dispose()
