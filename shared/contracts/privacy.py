"""Personal data in the contracts, and the erasure of a person.

A field declared with :func:`persoonsgegeven` (``"x-persoonsgegeven": true`` in its JSON
Schema) holds personal data. On every topic of the platform such a field carries a token
(``vhh-pg1.…``, a string) instead of its value, opened only with the key of the person it is
about: see ``shared/persoonsgegevens.py``. Once that key is destroyed the field reads
``"[gewist]"`` (text) or ``null``.

``nl.vhh.privacy.persoon-gewist.v1`` on ``limburg.wissingen.v1`` tells every service that a
person's key was destroyed, lawfully or because the retention period ended: each purges its own
copies of that person's data. It carries the pseudonymous persoon_id only.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

MARKERING = "x-persoonsgegeven"
GEWIST = "[gewist]"
"""What a personal text field reads after its person's key was destroyed."""
PERSOON_GEWIST_V1 = "nl.vhh.privacy.persoon-gewist.v1"
PRIVACY_SOURCE = "/vhh/privacy"


def persoonsgegeven(default: Any = ..., **kwargs: Any) -> Any:
    """A pydantic Field that holds personal data: encrypted per person on the wire."""
    extra = dict(kwargs.pop("json_schema_extra", None) or {})
    extra[MARKERING] = True
    return Field(default, json_schema_extra=extra, **kwargs)


class Wisgrond(StrEnum):
    VERZOEK = "verzoek"
    """A lawful erasure (AVG art. 17, or a court's order), on the privacy officer's decision."""
    BEWAARTERMIJN = "bewaartermijn"
    """The retention period of the person's records ended."""


class PersoonGewist(BaseModel):
    """Payload of nl.vhh.privacy.persoon-gewist.v1."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    persoon_id: UUID
    grond: Wisgrond
    gewist_op: datetime
    kenmerk: str = Field(description="The decision's reference (no personal data)")
