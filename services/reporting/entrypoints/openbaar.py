"""What a public copy (``openbaar=true``) looks like in the OpenAPI document: the same model with
every count and share nullable, since a small count and what derives from it is null there
(domain/provincie.py ``onderdruk``). Generated from the model, so a new table is covered."""

from __future__ import annotations

import types
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, create_model


def _nullable(soort: Any) -> Any:
    if soort in (int, float):
        return soort | None
    if isinstance(soort, type) and issubclass(soort, BaseModel):
        return openbaar_model(soort)
    herkomst, args = get_origin(soort), get_args(soort)
    if herkomst is dict and len(args) == 2:
        return dict.__class_getitem__((args[0], _nullable(args[1])))
    if herkomst is list and len(args) == 1:
        return list.__class_getitem__(_nullable(args[0]))
    if herkomst in (Union, types.UnionType):
        return Union[tuple(_nullable(a) for a in args)]  # noqa: UP007 - built from a tuple
    return soort


@cache
def openbaar_model(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` as a public copy: every int and float, also in nested tables, may be null."""
    velden: dict[str, Any] = {
        naam: (_nullable(veld.annotation), veld) for naam, veld in model.model_fields.items()}
    return create_model(f"Openbaar{model.__name__}", __base__=None,
                        __doc__=f"{model.__doc__ or model.__name__} (public copy: small counts "
                                "null)", **velden)


def jaarverslag_of_openbaar(model: type[BaseModel]) -> Any:
    """The 200 answer of a route with ``openbaar``: the model, or its public copy."""
    return Union[model, openbaar_model(model)]  # noqa: UP007 - a type built at run time
