"""Test tiers are folders: everything under an `integration/` folder gets the `integration` mark
(real broker, real PostgreSQL); the rest is the fast unit tier."""

import pytest

pytest_plugins = ["tests.fixtures"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)
