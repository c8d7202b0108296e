"""The set-based registration tests of the unit tier (test_registratie_per_batch.py) on
PostgreSQL: the advisory locks of a batch, its lookups by many keys at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.intake.bootstrap import Intake
from services.intake.tests.unit.test_registratie_per_batch import (  # noqa: F401  (run here too)
    aanvragen,
    intake_op,
    test_a_batch_costs_a_fixed_number_of_statements_however_many_records,
    test_a_batch_registers_each_reference_once_links_persons_and_sets_a_bad_record_aside,
    test_concurrent_posts_registered_together_each_get_their_own_answer,
)


@pytest.fixture
def intake(nieuwe_database: str, tmp_path: Path) -> Intake:
    return intake_op(nieuwe_database, tmp_path)
