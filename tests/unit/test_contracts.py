"""The committed JSON Schemas in contracts/ are what consumers rely on."""

import json

import pytest

from shared.contracts.compat import breaking_changes
from shared.contracts.export import render, schema_path
from shared.contracts.huizen import HuisId
from shared.contracts.registry import EVENT_TYPES
from shared.contracts.topics import alle_topics


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_model_does_not_break_the_committed_schema(event_type):
    committed = schema_path(event_type)
    assert committed.exists(), f"run `make contracts` to export {event_type}"
    problems = breaking_changes(json.loads(committed.read_text()), json.loads(render(event_type)))
    assert problems == [], f"{event_type}: raise the version for a breaking change: {problems}"


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_committed_schema_is_up_to_date(event_type):
    assert schema_path(event_type).read_text() == render(event_type), "run `make contracts`"


def test_event_types_are_past_tense_namespaced_and_versioned():
    for event_type in EVENT_TYPES:
        assert event_type.startswith("nl.vhh.")
        assert event_type.rsplit(".", 1)[-1].startswith("v")


OUD = {
    "type": "object", "required": ["a", "b"],
    "properties": {
        "a": {"type": "string"},
        "b": {"enum": ["x", "y"], "type": "string"},
        "c": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "d": {"$ref": "#/$defs/D"},
    },
    "$defs": {"D": {"type": "object", "properties": {"e": {"type": "string"}}}},
}


def _met(**wijziging):
    nieuw = json.loads(json.dumps(OUD))
    for pad, waarde in wijziging.items():
        doel = nieuw
        *kop, staart = pad.split("__")
        for deel in kop:
            doel = doel[deel]
        if waarde is None:
            del doel[staart]
        else:
            doel[staart] = waarde
    return nieuw


@pytest.mark.parametrize(("nieuw", "verwacht"), [
    (_met(properties__a=None), "$.a: field removed"),
    (_met(properties__a={"type": "integer"}), "$.a: type changed"),
    (_met(properties__b={"enum": ["x"], "type": "string"}), "$.b: enum values removed"),
    (_met(properties__a={"anyOf": [{"type": "string"}, {"type": "null"}]}), "$.a: type changed"),
    (_met(required=["a"]), "$.b: field is no longer required"),
    (_met(**{"$defs__D__properties__e": None}), "$.d.e: field removed"),
])
def test_breaking_changes_are_found(nieuw, verwacht):
    assert any(p.startswith(verwacht) for p in breaking_changes(OUD, nieuw))


@pytest.mark.parametrize("nieuw", [
    _met(properties__f={"type": "string"}),
    _met(properties__b={"enum": ["x", "y", "z"], "type": "string"}),
    _met(properties__c={"type": "integer"}),
    OUD,
])
def test_compatible_changes_pass(nieuw):
    assert breaking_changes(OUD, nieuw) == []


def test_topic_names_follow_the_convention():
    huizen = {h.value for h in HuisId}
    for t in alle_topics():
        deel = t.naam.split(".")
        assert deel[-1][0] == "v" and deel[-1][1:].isdigit(), t.naam
        if deel[0] == "vhh":
            assert len(deel) == 4 and deel[1] in huizen, t.naam
        else:
            assert deel[0] == "limburg" and len(deel) >= 3, t.naam
