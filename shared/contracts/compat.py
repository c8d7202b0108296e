"""Detect changes to an event's JSON Schema that break existing consumers.

Breaking: removing a field, a required field becoming optional, a field taking a type it could not
have before (retyping, or becoming nullable), and removing enum values (tightening). Adding an
optional field or an enum value is compatible. A breaking change needs a new event type version
(``...v2``) with its own schema file next to the old one.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """Human-readable reasons why a consumer of ``old`` cannot read events valid under ``new``."""
    problems: list[str] = []
    _compare(old, old, new, new, "$", problems)
    return problems


def _resolve(node: Schema, root: Schema) -> Schema:
    while "$ref" in node:
        name = node["$ref"].split("/")[-1]
        node = root.get("$defs", {})[name]
    return node


def _branches(node: Schema, root: Schema) -> list[Schema]:
    node = _resolve(node, root)
    for key in ("anyOf", "oneOf"):
        if key in node:
            return [b for sub in node[key] for b in _branches(sub, root)]
    return [node]


def _types(node: Schema, root: Schema) -> set[str]:
    found: set[str] = set()
    for branch in _branches(node, root):
        kind = branch.get("type")
        if kind is None:
            found.add("object" if "properties" in branch else "any")
        elif isinstance(kind, list):
            found.update(kind)
        else:
            found.add(kind)
    return found


def _compare(old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str,
             problems: list[str]) -> None:
    old_types, new_types = _types(old, old_root), _types(new, new_root)
    added = new_types - old_types - {"any"}
    if "any" not in old_types and added:
        problems.append(f"{path}: type changed from {sorted(old_types)} to {sorted(new_types)}")
        return
    old_b = {_kind(b): b for b in _branches(old, old_root)}
    new_b = {_kind(b): b for b in _branches(new, new_root)}
    for kind, ob in old_b.items():
        nb = new_b.get(kind)
        if nb is None:
            continue
        if "enum" in ob or "const" in ob:
            removed = _enum(ob) - _enum(nb) if ("enum" in nb or "const" in nb) else set()
            if removed:
                problems.append(f"{path}: enum values removed: {sorted(map(str, removed))}")
        if kind == "object":
            _compare_object(ob, old_root, nb, new_root, path, problems)
        if kind == "array" and "items" in ob and "items" in nb:
            _compare(ob["items"], old_root, nb["items"], new_root, f"{path}[]", problems)


def _compare_object(old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str,
                    problems: list[str]) -> None:
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    new_required = set(new.get("required", []))
    for name, old_prop in old_props.items():
        where = f"{path}.{name}"
        if name not in new_props:
            problems.append(f"{where}: field removed")
            continue
        if name in old.get("required", []) and name not in new_required:
            problems.append(f"{where}: field is no longer required")
        _compare(old_prop, old_root, new_props[name], new_root, where, problems)


def _kind(branch: Schema) -> str:
    kind = branch.get("type")
    if isinstance(kind, str):
        return kind
    return "object" if "properties" in branch else "any"


def _enum(branch: Schema) -> set[Any]:
    return set(branch["enum"]) if "enum" in branch else {branch["const"]}
