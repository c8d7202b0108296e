"""Write the JSON Schemas of all event types into ``contracts/`` (one file per type version)."""

from __future__ import annotations

import json
from pathlib import Path

from shared.contracts.compat import breaking_changes
from shared.contracts.registry import EVENT_TYPES, schema_van

CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "contracts"


def schema_path(event_type: str, folder: Path = CONTRACTS_DIR) -> Path:
    return folder / f"{event_type}.json"


def render(event_type: str) -> str:
    return json.dumps(schema_van(event_type), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def export(folder: Path = CONTRACTS_DIR) -> list[str]:
    """Write every schema; refuse (ValueError) a change that breaks the committed one."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for event_type in EVENT_TYPES:
        path = schema_path(event_type, folder)
        new = render(event_type)
        if path.exists():
            problems = breaking_changes(json.loads(path.read_text()), json.loads(new))
            if problems:
                raise ValueError(
                    f"{event_type} would break its consumers; raise the version instead:\n  "
                    + "\n  ".join(problems)
                )
            if path.read_text() == new:
                continue
        path.write_text(new)
        written.append(event_type)
    return written
