"""The one pagination envelope of every list an API returns (NL API Design Rules: one way)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Pagina(BaseModel, Generic[T]):
    """Een pagina van een lijst: ``items`` vanaf ``offset``, hoogstens ``limit``, van ``aantal``
    in totaal. Een lijst die op een sleutel bladert (keyset) geeft ook ``volgende`` en
    ``vorige``: de cursor van de pagina erna en ervoor (geen: er is er geen)."""

    aantal: int = Field(description="Hoeveel items er in totaal zijn")
    limit: int = Field(description="Het grootste aantal items op deze pagina")
    offset: int = Field(description="Hoeveel items voor deze pagina overgeslagen zijn")
    items: list[T]
    volgende: str | None = Field(
        default=None, description="Cursor of the next page (pass as `cursor`); none: last page")
    vorige: str | None = Field(
        default=None, description="Cursor of the previous page; none: first page")
