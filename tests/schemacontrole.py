"""Schemathesis against one service's OpenAPI document, in process: every operation gets
generated requests (valid ones, ones aimed at the seeded objects, and invalid ones), each with
the token of one role, and every answer is checked for a server error and against the schema the
document gives for it. Deterministic (derandomized) and bounded, so that it fits ``make test``."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from shared.kit.observability import OPENAPI

CONTROLES = [not_a_server_error, response_schema_conformance]
"""What every answer must pass: no 5xx, and a body that fits what the document promises."""


@dataclass
class Uitkomst:
    """Per operation the number of requests sent, and every failure found (one per operation:
    hypothesis stops at the first and shrinks it)."""

    verzoeken: dict[str, int] = field(default_factory=dict)
    fouten: list[str] = field(default_factory=list)


def controleer(app: FastAPI, koppen: list[dict[str, str]], bekend: Mapping[str, str], *,
               voorbeelden: int = 20) -> Uitkomst:
    """Send ``voorbeelden`` generated requests to each operation of ``app`` with one of
    ``koppen`` (an Authorization header per role); path parameters named in ``bekend`` are, for
    part of the requests, the seeded objects, so that requests reach past the 404."""
    schema = schemathesis.openapi.from_asgi(OPENAPI, app)
    uitkomst = Uitkomst()
    for resultaat in schema.get_all_operations():
        operatie = resultaat.ok()
        naam = f"{operatie.method.upper()} {operatie.path}"
        paden = {p.name: bekend[p.name] for p in operatie.path_parameters if p.name in bekend}
        soorten = [operatie.as_strategy(GenerationMode.POSITIVE),
                   operatie.as_strategy(GenerationMode.NEGATIVE)]
        if paden:
            soorten.append(operatie.as_strategy(GenerationMode.POSITIVE, path_parameters=paden))
        teller = [0]
        stuur = _verzender(naam, teller)
        test = given(st.one_of(soorten), st.sampled_from(koppen))(stuur)
        test = settings(max_examples=voorbeelden, derandomize=True, database=None,
                        deadline=None, print_blob=False,
                        phases=[Phase.explicit, Phase.generate, Phase.shrink],
                        suppress_health_check=list(HealthCheck))(test)
        try:
            test()
        except (Exception, BaseExceptionGroup) as fout:  # every failure, by operation
            uitkomst.fouten.append(f"{naam}: {type(fout).__name__}: {fout}"[:2000])
        uitkomst.verzoeken[naam] = teller[0]
    return uitkomst


def _verzender(naam: str, teller: list[int]) -> Callable[[Case, dict[str, str]], None]:
    def stuur(case: Case, kop: dict[str, str]) -> None:
        teller[0] += 1
        case.call_and_validate(headers=kop, checks=CONTROLES)
    # hypothesis derandomizes per test by its name: each operation its own, stable sequence
    stuur.__name__ = re.sub(r"\W+", "_", naam).strip("_")
    return stuur


def samenvatting(dienst: str, uitkomst: Uitkomst) -> str:
    return (f"{dienst}: {len(uitkomst.verzoeken)} operations, "
            f"{sum(uitkomst.verzoeken.values())} requests, {len(uitkomst.fouten)} failing")


def koppen_per_rol(huis: str, kop: Callable[..., dict[str, str]],
                   rollen: tuple[str, ...]) -> list[dict[str, str]]:
    """A token per role, and one with every role (which reaches the most)."""
    return [kop(huis, r) for r in rollen] + [kop(huis, *rollen)]

