"""An API keeps the tokens it verified until they expire (shared/toegang.py): a client sends
the same token with every request. Kept or not, an expired token is refused, and one app never
accepts a token because another app, with other settings, verified it."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from shared import toegang
from shared.contracts.huizen import HuisId
from shared.toegang import Ingelogd, Rol, ToegangSettings, installeer, maak_token


def _app(settings: ToegangSettings) -> TestClient:
    app = FastAPI()
    installeer(app, settings)

    @app.get("/api/v1/wie")
    def wie(gebruiker: Ingelogd) -> dict[str, str]:
        return {"naam": gebruiker.naam}

    return TestClient(app)


def _token(settings: ToegangSettings, geldig: timedelta = timedelta(minutes=5)) -> str:
    return maak_token(settings, huis=HuisId.PARKSTAD, rollen=[Rol.SCREENER], naam="Sanne",
                      organisatie="ZVH", geldig=geldig)


def test_a_kept_token_is_refused_once_it_expires(monkeypatch) -> None:
    s = ToegangSettings()
    client = _app(s)
    kop = {"Authorization": f"Bearer {_token(s)}"}
    assert client.get("/api/v1/wie", headers=kop).json() == {"naam": "Sanne"}
    assert client.get("/api/v1/wie", headers=kop).status_code == 200  # kept

    later = time.time() + timedelta(minutes=6).total_seconds()
    monkeypatch.setattr(toegang.time, "time", lambda: later)
    import jwt  # the signature check reads the clock through PyJWT: move it too
    monkeypatch.setattr(jwt.api_jwt, "datetime", _Klok(later))

    r = client.get("/api/v1/wie", headers=kop)
    assert r.status_code == 401, r.text


def test_an_app_with_another_key_refuses_what_another_app_verified() -> None:
    a = ToegangSettings()
    b = ToegangSettings(sleutel=SecretStr("een-andere-sleutel-van-voldoende-lengte-0123"))
    kop = {"Authorization": f"Bearer {_token(a)}"}
    assert _app(a).get("/api/v1/wie", headers=kop).status_code == 200
    assert _app(b).get("/api/v1/wie", headers=kop).status_code == 401


class _Klok:
    """``datetime`` as PyJWT calls it (``datetime.now(tz=timezone.utc)``), at ``moment``."""

    def __init__(self, moment: float) -> None:
        self.moment = moment

    def now(self, tz=None):  # type: ignore[no-untyped-def]
        from datetime import datetime

        return datetime.fromtimestamp(self.moment, tz)

    def __getattr__(self, naam: str):  # type: ignore[no-untyped-def]
        from datetime import datetime

        return getattr(datetime, naam)
