"""Every event type of the platform and its payload model: the source of contracts/*.json."""

from __future__ import annotations

from pydantic import BaseModel

from shared.contracts import (
    huisverbod,
    intake,
    nazorg,
    partners,
    privacy,
    radicalisering,
    rapportage,
    regie,
    triage,
    veilig_thuis,
    zsm,
)

EVENT_TYPES: dict[str, type[BaseModel]] = {
    intake.MELDING_GEREGISTREERD_V1: intake.MeldingGeregistreerd,
    triage.ADVIES_GEGEVEN_V1: triage.AdviesGegeven,
    triage.BESLUIT_GENOMEN_V1: triage.BesluitGenomen,
    triage.OVERLEG_GEPLAND_V1: triage.OverlegGepland,
    triage.OVERLEG_GEHOUDEN_V1: triage.OverlegGehouden,
    radicalisering.RADICALISERING_BESLOTEN_V1: radicalisering.RadicaliseringBesloten,
    zsm.ZSM_TERUGMELDING_V1: zsm.ZsmTerugmelding,
    veilig_thuis.VT_VERZOEK_ONTVANGEN_V1: veilig_thuis.VtVerzoekOntvangen,
    veilig_thuis.VT_VERZOEK_BEANTWOORD_V1: veilig_thuis.VtVerzoekBeantwoord,
    **regie.CASUS_EVENTS,
    regie.OVERDRACHT_AANGEBODEN_V1: regie.OverdrachtAangeboden,
    **partners.PARTNER_EVENTS,
    **huisverbod.HUISVERBOD_EVENTS,
    **nazorg.NAZORG_EVENTS,
    rapportage.CIJFERS_BIJGEWERKT_V1: rapportage.Jaarcijfers,
    rapportage.CONSULTATIE_GEREGISTREERD_V1: rapportage.ConsultatieGeregistreerd,
    privacy.PERSOON_GEWIST_V1: privacy.PersoonGewist,
}


def schema_van(event_type: str) -> dict:
    return EVENT_TYPES[event_type].model_json_schema(mode="serialization")
