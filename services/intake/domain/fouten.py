"""Why intake refuses something: one reason per field, so that a person can fix it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class Fout:
    veld: str
    reden: str

    def __str__(self) -> str:
        return f"{self.veld}: {self.reden}"


class Afwijzing(Exception):
    """The input cannot be registered; ``fouten`` says which field and why."""

    def __init__(self, fouten: list[Fout]) -> None:
        super().__init__("; ".join(map(str, fouten)))
        self.fouten = fouten

    @classmethod
    def enkel(cls, veld: str, reden: str) -> Afwijzing:
        return cls([Fout(veld, reden)])

    @classmethod
    def uit_validatie(cls, exc: ValidationError, prefix: str = "") -> Afwijzing:
        fouten = []
        for err in exc.errors(include_url=False):
            pad = ".".join(str(p) for p in err["loc"])
            veld = f"{prefix}.{pad}" if prefix and pad else (prefix or pad or "data")
            fouten.append(Fout(veld, _reden(err)))
        return cls(fouten)


VERBORGEN_INVOER = "(value withheld)"
"""What a reason says where its message would repeat the refused value."""


def _reden(err: Mapping[str, Any]) -> str:
    msg = str(err["msg"])
    # pydantic prefixes messages of custom validators with "Value error, ".
    return zonder_invoer(msg.removeprefix("Value error, "), err.get("input"))


def zonder_invoer(reden: str, invoer: Any) -> str:
    """``reden`` without the value it is about: validators echo it ("got '01-02-1990'",
    "GM0363 is not ..."), and a refused record's reasons are kept and shown where its content
    is not, so the field and the rule remain, never a birth date or a name. Values of one or two
    characters stay: they identify no one and hiding them would garble the rule."""
    if isinstance(invoer, bool) or not isinstance(invoer, str | int | float):
        return reden
    for vorm in sorted({repr(invoer), str(invoer)}, key=len, reverse=True):
        if len(vorm) > 2:
            reden = reden.replace(vorm, VERBORGEN_INVOER)
    return reden
