"""The temporary restraining order: ten days, extension decided in time, at most 28 days,
withdrawal, the RIHG first, and one alarm per deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.regie.domain import huisverbod as hv
from services.regie.domain.huisverbod import Huisverbod, evolve
from shared.contracts.huisverbod import Huisverbodstatus as S
from shared.contracts.huisverbod import Partij
from shared.contracts.huizen import HuisId
from shared.kit.fouten import Conflict, Weigering

OPGELEGD = datetime(2026, 11, 2, 22, 30, tzinfo=UTC)
UUR = timedelta(hours=1)
DAG = timedelta(days=1)


def toepassen(h: Huisverbod | None, events) -> Huisverbod:  # type: ignore[no-untyped-def]
    for ev in events:
        h = evolve(h, ev)
    assert h is not None
    return h


def geregistreerd() -> Huisverbod:
    return toepassen(None, [hv.registreer(HuisId.PARKSTAD, "GM0917", uuid4(), uuid4(), [uuid4()],
                                          [uuid4(), uuid4()], "pr", OPGELEGD - UUR)])


def opgelegd() -> Huisverbod:
    h = geregistreerd()
    h = toepassen(h, hv.vul_rihg_in(h, "hoog risico", "politie", OPGELEGD - UUR))
    return toepassen(h, hv.leg_op(h, OPGELEGD, "burgemeester", OPGELEGD))


def test_opleggen_vraagt_eerst_de_rihg():
    with pytest.raises(Weigering) as fout:
        hv.leg_op(geregistreerd(), OPGELEGD, "bm", OPGELEGD)
    assert fout.value.veld == "rihg"


def test_opgelegd_voor_tien_dagen_vanaf_het_moment_van_opleggen():
    h = opgelegd()
    assert (h.status, h.eindigt_op, h.beslissen_voor) == (
        S.OPGELEGD, OPGELEGD + 10 * DAG, OPGELEGD + 10 * DAG)
    assert h.uiterste_einde == OPGELEGD + 28 * DAG
    assert h.actuele_status(OPGELEGD + 10 * DAG) is S.AFGELOPEN


def test_verlengen_tot_hoogstens_achtentwintig_dagen():
    h = opgelegd()
    with pytest.raises(Weigering) as fout:
        hv.verleng(h, OPGELEGD + 28 * DAG + timedelta(minutes=1), "bm", OPGELEGD + 9 * DAG)
    assert fout.value.veld == "eindigt_op" and "28" in fout.value.reden
    h = toepassen(h, hv.verleng(h, OPGELEGD + 28 * DAG, "bm", OPGELEGD + 9 * DAG))
    assert (h.status, h.eindigt_op, h.beslissen_voor) == (S.VERLENGD, OPGELEGD + 28 * DAG, None)
    with pytest.raises(Conflict):  # extended once; not again
        hv.verleng(h, OPGELEGD + 27 * DAG, "bm", OPGELEGD + 12 * DAG)


def test_verlengen_na_afloop_van_de_tien_dagen_kan_niet():
    with pytest.raises(Conflict):
        hv.verleng(opgelegd(), OPGELEGD + 20 * DAG, "bm", OPGELEGD + 10 * DAG)


def test_verlenging_moet_later_eindigen():
    with pytest.raises(Weigering, match="after the current end"):
        hv.verleng(opgelegd(), OPGELEGD + 5 * DAG, "bm", OPGELEGD + DAG)


def test_intrekken_beeindigt_het_huisverbod():
    h = opgelegd()
    nu = OPGELEGD + 3 * DAG
    h = toepassen(h, hv.trek_in(h, "partijen verzoend, risico weg", "bm", nu))
    assert (h.status, h.eindigt_op, h.beslissen_voor) == (S.INGETROKKEN, nu, None)
    with pytest.raises(Conflict):
        hv.trek_in(h, "nog eens", "bm", nu)
    with pytest.raises(Conflict):
        hv.verleng(h, OPGELEGD + 20 * DAG, "bm", nu)


def test_alarm_eenmaal_binnen_het_venster_voor_de_beslistermijn():
    h = opgelegd()
    vooraf = 48 * UUR
    assert hv.termijnalarm(h, OPGELEGD + 7 * DAG, vooraf) == []
    [alarm] = hv.termijnalarm(h, OPGELEGD + 8 * DAG + UUR, vooraf)
    h = toepassen(h, [alarm])
    assert hv.termijnalarm(h, OPGELEGD + 9 * DAG, vooraf) == []
    assert hv.termijnalarm(opgelegd(), OPGELEGD + 10 * DAG, vooraf) == []  # too late: over


def test_hulp_aan_alle_partijen_en_samenloop():
    h = opgelegd()
    for partij in Partij:
        h = toepassen(h, hv.bied_hulp_aan(h, partij, "Veilig Thuis", "gesprek", "cm", OPGELEGD))
    h = toepassen(h, hv.samenloop(h, "OM vervolgt", "pr", OPGELEGD))
    assert {p for p, _, _ in h.hulp} == {p.value for p in Partij}
    assert h.samenloop_strafrecht and hv.samenloop(h, "x", "pr", OPGELEGD) == []
