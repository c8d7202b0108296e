"""One time zone: the restraining order's legal clock, the extension form and the displayed
times are Dutch, also on a server whose zone is UTC (or anything else)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WORTEL = Path(__file__).resolve().parents[2]

# Imposed on 20 October 2026 at 10:00 in the Netherlands (08:00 UTC, summer time); winter time
# starts on 25 October, so the ten days end an hour later in UTC than 240 hours would.
KLOK = """
import json
from datetime import UTC, datetime
from uuid import uuid4

from services.regie.domain import huisverbod as hv
from shared.contracts.huizen import HuisId
from shared.tijd import uit_formulier, vandaag
from shared.werkbank import _datum

nu = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
h = hv.evolve(None, hv.registreer(HuisId.PARKSTAD, "GM0917", uuid4(), uuid4(), [uuid4()], [],
                                  "pr", nu))
h = hv.evolve(h, hv.vul_rihg_in(h, "hoog risico", "politie", nu)[0])
h = hv.evolve(h, hv.leg_op(h, nu, "burgemeester", nu)[0])
verlengd_tot = uit_formulier("2026-11-07T10:00")
h2 = hv.evolve(h, hv.verleng(h, verlengd_tot, "burgemeester", nu)[0])
print(json.dumps({
    "eindigt_op_utc": h.eindigt_op.astimezone(UTC).isoformat(),
    "uiterste_einde_utc": h.uiterste_einde.astimezone(UTC).isoformat(),
    "verlengd_tot_utc": h2.eindigt_op.astimezone(UTC).isoformat(),
    "getoond_eindigt": _datum(h.eindigt_op),
    "getoond_opgelegd": _datum(h.opgelegd_op),
    "vandaag_kort_na_middernacht": vandaag(datetime(2026, 10, 30, 23, 30, tzinfo=UTC)).isoformat(),
}))
"""


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_de_huisverbodklok_loopt_in_nederlandse_tijd_ook_op_een_server_in_utc(zone: str) -> None:
    env = {**os.environ, "TZ": zone, "VHH_OMGEVING": "ontwikkeling"}
    uit = subprocess.run([sys.executable, "-c", KLOK], cwd=WORTEL, env=env, check=True,
                         capture_output=True, text=True, timeout=120)
    r = json.loads(uit.stdout)
    # ten days later at 10:00 Dutch time: winter time by then, so 09:00 UTC (not 08:00)
    assert r["eindigt_op_utc"] == "2026-10-30T09:00:00+00:00"
    assert r["uiterste_einde_utc"] == "2026-11-17T09:00:00+00:00"
    # the extension form's "10:00" is 10:00 in the Netherlands, not on the server's clock
    assert r["verlengd_tot_utc"] == "2026-11-07T09:00:00+00:00"
    assert (r["getoond_opgelegd"], r["getoond_eindigt"]) == ("20-10-2026 10:00",
                                                             "30-10-2026 10:00")
    # 23:30 UTC on 30 October is already 31 October in the Netherlands
    assert r["vandaag_kort_na_middernacht"] == "2026-10-31"

