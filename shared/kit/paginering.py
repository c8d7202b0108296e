"""The one pagination envelope of every list an API returns (NL API Design Rules: one way)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Pagina(BaseModel, Generic[T]):
    """Een pagina van een lijst: ``items`` vanaf ``offset``, hoogstens ``limit``, van ``aantal``
    in totaal. Een lijst die per sleutel bladert (keyset) geeft ook ``volgende`` en ``vorige``:
    de cursor van de volgende en de vorige pagina (weg op de laatste en de eerste)."""

    aantal: int = Field(description="Hoeveel items er in totaal zijn")
    limit: int = Field(description="Het grootste aantal items op deze pagina")
    offset: int = Field(description="Hoeveel items voor deze pagina overgeslagen zijn")
    items: list[T]
    volgende: str | None = Field(default=None, description="Cursor van de volgende pagina "
                                 "(keyset); geen op de laatste pagina")
    vorige: str | None = Field(default=None, description="Cursor van de vorige pagina "
                               "(keyset); geen op de eerste pagina")


GROOTSTE_OFFSET = 2**31 - 1
"""The largest ``offset`` a list accepts: a larger one is 422 naming ``offset``, not a database
error (PostgreSQL's OFFSET is a bigint; no list comes near this)."""
