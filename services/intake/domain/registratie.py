"""Registering a melding: the linked persons and the chosen house make the event."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from services.intake.domain.melding import NieuweMelding, hoofdpersoon
from services.intake.domain.routering import Bestemming
from shared.contracts.intake import BetrokkenPersoon, MeldingGeregistreerd

MAX_EERDERE_MELDINGEN = 20
"""The earlier meldingen an event names per person: the most recent ones, so that an event does
not grow with a person's whole history."""


def registreer(
    melding: NieuweMelding,
    *,
    melding_id: UUID,
    persoon_ids: list[UUID],
    bestemming: Bestemming,
    eerdere_meldingen: Mapping[UUID, list[UUID]],
    nu: datetime,
) -> MeldingGeregistreerd:
    betrokkenen = [
        BetrokkenPersoon(
            persoon_id=pid, rol=b.rol, bsn=b.bsn, voornamen=b.voornamen, achternaam=b.achternaam,
            geboortedatum=b.geboortedatum, woongemeentecode=b.woongemeentecode,
            eerdere_meldingen=list(eerdere_meldingen.get(pid, [])),
        )
        for b, pid in zip(melding.betrokkenen, persoon_ids, strict=True)
    ]
    return MeldingGeregistreerd(
        melding_id=melding_id,
        huis=bestemming.routering.huis,
        bron=melding.bron,
        organisatie=melding.organisatie,
        bron_referentie=melding.bron_referentie,
        doelgroep=melding.doelgroep,
        doelgroepen=melding.doelgroepen,
        gemeentecode=bestemming.gemeentecode,
        ontvangen_op=melding.ontvangen_op,
        geregistreerd_op=nu,
        urgentie=melding.urgentie,
        omschrijving=melding.omschrijving,
        routering=bestemming.routering,
        hoofdpersoon_id=persoon_ids[hoofdpersoon(melding.betrokkenen)],
        betrokkenen=betrokkenen,
        politie=melding.politie,
        detentie=melding.detentie,
        wijk=melding.wijk,
        radicalisering=melding.radicalisering,
    )
