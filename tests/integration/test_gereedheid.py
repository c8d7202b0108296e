"""`/readyz` of running processes against the real broker and PostgreSQL: ready means the
database and Kafka answer. (The unit tier only shows it failing where nothing answers; under
`make run` a Kafka check that could never pass once answered 503 for every API.)"""

from __future__ import annotations

import httpx

from tests.fixtures import IntakeDeployment, Keten


def test_every_running_api_is_ready_when_its_database_and_kafka_answer(
        intake: IntakeDeployment, keten: Keten) -> None:
    for api in (intake.api, keten.triage, keten.regie):
        r = httpx.get(f"{api}/readyz", timeout=30)
        assert r.status_code == 200, (api, r.text)
        assert httpx.get(f"{api}/livez", timeout=30).status_code == 200
