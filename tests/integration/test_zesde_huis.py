"""A sixth house from configuration alone: a copy of deploy/gebiedsindeling.toml with a new house
that Vaals moved to, named by VHH_GEBIEDSINDELING. Its topics and ACLs are applied, its own
triage starts as `vhh run --house` would start it, and a melding about Vaals reaches its queue,
without a code change.

This test process read the real division at import; everything that must know the new house
runs in a process of its own with the variable set, as a restarted platform would."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared import supervisor
from shared.contracts.huizen import GEBIEDSINDELING
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.settings import REPO
from shared.supervisor import Proces
from shared.testing import kop
from tests.integration.keten import wacht_tot

HUIS = "grensland"
VAALS = "GM0981"

# What `vhh topics apply` and `vhh acls apply` do, against the test broker (the CLI would
# prefer a local broker of `vhh run`), with a password for the new principal.
TOEPASSEN = """
import json, sys
from shared import kafka_acls, kafka_admin
from shared.settings import KafkaSettings
beheer = KafkaSettings()
kafka_admin.pas_toe(beheer)
kafka_acls.pas_toe(beheer, json.loads(sys.argv[1]))
"""
# What `vhh run --house grensland` starts, and a screener's token of the new house.
PLAN = """
import json, sys
from shared import procesplan
from shared.testing import token
[d] = procesplan.plan(sys.argv[1])
print(json.dumps({"principal": d.principal, "databases": d.databases, "migraties": d.migraties,
                  "processen": [[p.naam, p.commando, p.dienst] for p in d.processen],
                  "instellingen": d.instellingen, "urls": d.urls,
                  "token": token(sys.argv[1], "screener")}))
"""


def _indeling(pad: Path, poort_basis: int) -> Path:
    """The real division plus a house that runs only triage, and Vaals moved to it in 2025."""
    tekst = GEBIEDSINDELING.read_text()
    vaals = 'code = "GM0981"\nnaam = "Vaals"\nhuis = "maastricht-heuvelland"\n'
    assert vaals in tekst
    tekst = tekst.replace(vaals, 'code = "GM0981"\nnaam = "Vaals"\n')
    tekst = tekst.replace('inwoners = 10_000\n', 'inwoners = 10_000\n'
                          '[[gemeente.toewijzing]]\nhuis = "maastricht-heuvelland"\n'
                          '[[gemeente.toewijzing]]\nhuis = "grensland"\nvanaf = 2025-01-01\n', 1)
    pad.write_text(tekst + f'\n[[huis]]\nid = "{HUIS}"\nnaam = "Grensland"\n'
                   f'poort_basis = {poort_basis}\neigen = ["triage"]\nprovinciaal = ["intake"]\n')
    return pad


def _python(code: str, env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=REPO, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def zesde_huis(kafka_broker, intake, postgres_server, tmp_path) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    indeling = _indeling(tmp_path / "gebiedsindeling.toml", free_port() - 2)
    env = {**intake.env, "VHH_GEBIEDSINDELING": str(indeling)}
    wachtwoord = uuid.uuid4().hex
    pids: list[int] = []
    try:
        _python(TOEPASSEN, env, json.dumps({f"huis-{HUIS}": wachtwoord}))
        plan = json.loads(_python(PLAN, env, HUIS))
        assert plan["principal"] == f"huis-{HUIS}"
        # Its own triage, logged in as its own principal: its ACLs must suffice.
        for database in plan["databases"].values():
            postgres.create_database(postgres_server, database)
        deel_env = {**env, **kafka_broker.als(plan["principal"], wachtwoord).omgeving(),
                    **plan["instellingen"],
                    **{k: postgres_server.url(db) for k, db in plan["databases"].items()}}
        for m in plan["migraties"]:
            subprocess.run(m, env=deel_env, cwd=REPO, check=True, capture_output=True)
        for naam, commando, dienst in plan["processen"]:
            pids.append(supervisor.start(Proces(naam, commando, dienst), tmp_path, deel_env))
        # A provincial intake restarted with the new division (a copy of its own beside the
        # session's: its own database and relay name, the router's principal).
        postgres.create_database(postgres_server, "intake_zesde_huis")
        poort = free_port()
        intake_env = {**env, **kafka_broker.als("intake").omgeving(),
                      "VHH_INTAKE_DATABASE_URL": postgres_server.url("intake_zesde_huis"),
                      "VHH_INTAKE_HTTP_PORT": str(poort), "VHH_INTAKE_INSTANTIE": "intake-zesde"}
        subprocess.run([sys.executable, "-m", "services.intake", "migrate"], env=intake_env,
                       cwd=REPO, check=True, capture_output=True)
        # This copy runs no feeds process (the session's reads the registers): Mondriaan's
        # covenant with its house goes straight into its copy of the register.
        _teken(postgres_server.url("intake_zesde_huis"), "maastricht-heuvelland", "Mondriaan")
        for p in supervisor.lees_platform()[1]:
            if p.naam in ("intake-api", "intake-relay"):
                pids.append(supervisor.start(p, tmp_path / "intake", intake_env))
        yield {"intake": f"http://127.0.0.1:{poort}", "triage": plan["urls"]["triage"],
               "token": plan["token"]}
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)
        # Back to the real division: intake's and nazorg-provincie's extra ACLs go.
        _python(TOEPASSEN, intake.env, "{}")


def _teken(database_url: str, huis: str, organisatie: str) -> None:
    from datetime import UTC, date, datetime

    from sqlalchemy.orm import Session

    from services.intake.adapters import tabellen
    from shared import convenant
    from shared.contracts.huizen import HuisId
    from shared.contracts.partners import ConvenantGetekend
    from shared.db import maak_engine

    engine = maak_engine(database_url)
    try:
        with Session(engine) as s:
            convenant.bewaar(s, tabellen.partner_convenant, ConvenantGetekend(
                convenant_id=uuid.uuid4(), huis=HuisId(huis), organisatie=organisatie,
                convenant="Privacyconvenant", getekend_op=date(2000, 1, 1),
                op=datetime.now(UTC), door="test"))
            s.commit()
    finally:
        engine.dispose()


def test_een_zesde_huis_uit_configuratie_krijgt_de_meldingen_van_zijn_gemeente(zesde_huis):  # type: ignore[no-untyped-def]
    referentie = f"zesde-{uuid.uuid4().hex[:8]}"
    r = httpx.post(f"{zesde_huis['intake']}/api/v1/meldingen", timeout=30,
                   headers=kop("maastricht-heuvelland", "partner", organisatie="Mondriaan"),
                   json={"bron": "partner", "organisatie": "Mondriaan",
                         "bron_referentie": referentie, "doelgroep": "verward_gedrag",
                         "gemeentecode": VAALS, "omschrijving": "Overlast in Vaals.",
                         "betrokkenen": [{"rol": "betrokkene", "voornamen": "Jo",
                                          "achternaam": f"Test{uuid.uuid4().hex[:6]}",
                                          "geboortedatum": "1970-01-01"}]})
    assert r.status_code == 201, r.text
    assert r.json()["huis"] == HUIS

    def in_wachtrij() -> bool:
        pagina = httpx.get(f"{zesde_huis['triage']}/api/v1/triage/{HUIS}/wachtrij", timeout=30,
                           params={"referentie": referentie},
                           headers={"Authorization": f"Bearer {zesde_huis['token']}"})
        pagina.raise_for_status()
        return any(s["melding"]["bron_referentie"] == referentie
                   for s in pagina.json()["items"])

    wacht_tot(in_wachtrij, wat="the melding about Vaals in Grensland's own triage queue")
