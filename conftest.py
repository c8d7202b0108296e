"""Test tiers are folders: everything under an `integration/` folder gets the `integration` mark
(real broker, real PostgreSQL); the rest is the fast unit tier."""

import atexit
import base64
import os
import shutil
import tempfile

import pytest

pytest_plugins = ["tests.fixtures"]

# The key vault of this test run: never the developer's var/sleutelkluis.* (the integration
# fixtures give their processes a PostgreSQL vault of their own).
_KLUIS = tempfile.mkdtemp(prefix="vhh-test-kluis-")
atexit.register(shutil.rmtree, _KLUIS, True)
os.environ["VHH_SLEUTELKLUIS_DATABASE_URL"] = f"sqlite:///{_KLUIS}/sleutelkluis.db"
os.environ["VHH_SLEUTELKLUIS_MEESTERSLEUTEL"] = base64.b64encode(os.urandom(32)).decode()
# The audit key of this test run, never the developer's var/audit.sleutel; the services' own
# anchoring is off (no broker in the unit tier): tests anchor through Auditlog themselves.
os.environ["VHH_AUDIT_SLEUTEL"] = base64.b64encode(os.urandom(32)).decode()
os.environ["VHH_AUDIT_VERANKEREN"] = "false"
# Development is a choice, never a default (shared.settings.omgeving): the tests make it.
os.environ["VHH_OMGEVING"] = "ontwikkeling"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)
