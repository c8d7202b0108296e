"""The NL API Design Rules (Logius) in every service's OpenAPI document, by post-processing what
FastAPI generates (:func:`pas_toe`), so no route has to declare them itself:

- every 4xx answer (FastAPI's 422 included) is ``application/problem+json`` with the schema
  :data:`PROBLEEM` (status, title, detail, invalidParams), as :mod:`shared.kit.fouten` answers;
- every 2xx answer declares the ``API-Version`` header;
- ``info.contact`` has a name, url and email (``VHH_API_CONTACT_NAAM``, ``_URL``, ``_EMAIL``;
  the defaults are placeholders a house replaces);
- ``servers`` names where the API is served; the paths keep their full ``/api/v1/...`` (the
  major version is in the URI): a server URL ending in ``/v1`` in front of them would double it;
- every GET with query parameters and every POST documents a 400;
- arrays have ``items`` (no ``prefixItems`` tuple schemas).
"""

from __future__ import annotations

import os
from typing import Any

PROBLEEM_JSON = "application/problem+json"
CONTACT = {
    "name": ("VHH_API_CONTACT_NAAM", "VHH Limburg, beheer van het platform"),
    "url": ("VHH_API_CONTACT_URL", "https://vhh-limburg.example/api"),
    "email": ("VHH_API_CONTACT_EMAIL", "api@vhh-limburg.example"),
}
"""The contact of every API document: per key the variable that sets it and its placeholder."""

PROBLEEM: dict[str, Any] = {
    "type": "object",
    "description": "Een fout volgens RFC 9457 (application/problem+json)",
    "required": ["status", "title", "detail"],
    "properties": {
        "type": {"type": "string", "description": "Soort fout (urn:vhh:probleem:...)"},
        "title": {"type": "string", "description": "Korte omschrijving van de soort fout"},
        "status": {"type": "integer", "description": "De HTTP-statuscode"},
        "detail": {"type": "string", "description": "Wat er mis is, per veld de regel"},
        "instance": {"type": "string", "description": "Het pad van de aanvraag"},
        "invalidParams": {
            "type": "array", "description": "Per ongeldig veld: naam en reden",
            "items": {"type": "object", "required": ["name", "reason"], "properties": {
                "name": {"type": "string", "description": "Het veld (met punten genest)"},
                "reason": {"type": "string", "description": "Waarom het ongeldig is"}}},
        },
    },
}
API_VERSION_HEADER: dict[str, Any] = {
    "description": "De semantische versie van de API (NL API Design Rules, API-57)",
    "schema": {"type": "string", "example": "1.0.0"},
}
_PROBLEEM_REF = {"$ref": "#/components/schemas/Probleem"}
_METHODEN = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def contact() -> dict[str, str]:
    return {k: os.environ.get(var, standaard) for k, (var, standaard) in CONTACT.items()}


def pas_toe(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (FastAPI's OpenAPI, changed in place and returned) following the rules."""
    document.setdefault("info", {})["contact"] = contact()
    document["servers"] = [{"url": "/", "description": "Deze API, onder /api/v1 (de "
                                                       "hoofdversie staat in elk pad)"}]
    componenten = document.setdefault("components", {})
    componenten.setdefault("schemas", {})["Probleem"] = PROBLEEM
    componenten.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
    probleem = {PROBLEEM_JSON: {"schema": _PROBLEEM_REF}}
    for item in document.get("paths", {}).values():
        for methode, operatie in item.items():
            if methode not in _METHODEN:
                continue
            antwoorden = operatie.setdefault("responses", {})
            query = any(p.get("in") == "query" for p in operatie.get("parameters", []))
            if methode == "post" or (methode == "get" and query):
                antwoorden.setdefault("400", {"description": "Ongeldige aanvraag"})
            for code, antwoord in antwoorden.items():
                if code.startswith("2"):
                    antwoord.setdefault("headers", {})["API-Version"] = {
                        "$ref": "#/components/headers/API-Version"}
                elif code.startswith("4"):
                    antwoord["content"] = probleem
    for naam in ("HTTPValidationError", "ValidationError"):  # replaced by Probleem everywhere
        componenten["schemas"].pop(naam, None)
    _zonder_tupels(document)
    return document


def _zonder_tupels(waarde: Any) -> None:
    """A tuple schema (``prefixItems``, from a ``tuple`` field) as a plain array of its item
    types: Spectral's array-items rule wants ``items``."""
    if isinstance(waarde, dict):
        if "prefixItems" in waarde:
            soorten = waarde.pop("prefixItems")
            uniek = [s for i, s in enumerate(soorten) if s not in soorten[:i]]
            waarde.setdefault("items", uniek[0] if len(uniek) == 1 else {"anyOf": uniek})
        for w in waarde.values():
            _zonder_tupels(w)
    elif isinstance(waarde, list):
        for w in waarde:
            _zonder_tupels(w)
