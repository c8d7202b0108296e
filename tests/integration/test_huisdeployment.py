"""One house's own deployment, as `vhh run` starts it, next to the provincial intake: it sees its
own meldingen only."""

from __future__ import annotations

from kafka import KafkaAdminClient

from services.intake.tests.integration.helpers import meldingen
from shared import huisdeployment, procesplan, supervisor
from shared.contracts.topics import WISSINGEN
from shared.devstack import postgres
from shared.devstack.ports import free_port
from tests.integration.keten import in_wachtrij, stuur_politiemelding, wacht_tot


def test_noord_limburg_ziet_alleen_eigen_meldingen(kafka_broker, intake, postgres_server, tmp_path):  # type: ignore[no-untyped-def]
    d = huisdeployment.lees("noord-limburg")
    d = huisdeployment.Huisdeployment(d.huis, ("triage",), d.provinciaal, free_port() - 2)
    # The house's part of what `vhh run` starts, logged in as the house: its prefix ACLs must
    # cover every name the deployment uses.
    deel = procesplan.huis(d)
    assert deel.principal == "huis-noord-limburg"
    for database in deel.databases.values():
        postgres.create_database(postgres_server, database)
    env = {**intake.env, **kafka_broker.als(deel.principal).omgeving(),
           **deel.omgeving(postgres_server.url)}
    for m in deel.migraties:
        supervisor_run(m, env)
    pids = []
    try:
        for p in deel.processen:
            pids.append(supervisor.start(p, tmp_path, env))
        api = f"http://127.0.0.1:{d.poort('triage')}"
        ander = stuur_politiemelding(intake.kafka, "politie-huiselijk-geweld")  # Maastricht
        assert meldingen(intake.kafka, {ander["id"]}), "intake routed the other melding"
        eigen = stuur_politiemelding(intake.kafka, "politie-jeugd-gpp")  # Venlo
        wacht_tot(lambda: in_wachtrij(api, "noord-limburg", eigen["id"]),
                  wat="Noord-Limburg's melding in its own queue")
        assert in_wachtrij(api, "maastricht-heuvelland", ander["id"]) is None
        admin = KafkaAdminClient(**intake.kafka.kafka_python_opties())
        try:
            groep = "vhh-noord-limburg.triage"
            antwoord = admin.list_group_offsets(groep)  # kafka-python 3: {group: {tp: offset}}
            gelezen = antwoord.get(groep, antwoord)
        finally:
            admin.close()
        # the house's own consumer group, reading its own house's topics and, of the province's,
        # only the erasures (every service blanks an erased person; another test may have
        # erased someone before this one, so that group may hold an offset there too)
        huizen = {tp.topic.split(".")[1] for tp in gelezen if tp.topic != WISSINGEN.naam}
        assert gelezen and huizen == {"noord-limburg"}
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)


def supervisor_run(commando: list[str], env: dict[str, str]) -> None:
    import subprocess

    subprocess.run(commando, env=env, check=True, capture_output=True)
