"""`make bench`: what encrypting personal fields per person costs, as ratios.

In one run, for the same MeldingGeregistreerd (three persons, as the police's domestic-violence
example), per event:
- baseline: ``model_dump(mode="json")`` and ``model_validate`` (what publishing and consuming did
  before crypto-shredding);
- crypto only: ``versleutel`` / ``ontsleutel`` with the keys in memory (AES-GCM, the XOR shares);
- with the vault: the same against the key vault in a SQLite file (one lookup per event; under
  `vhh run` it is PostgreSQL).
Prints events per second and the ratio to the baseline. No assertions: figures, not tests.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

from shared.contracts.huizen import HuisId
from shared.contracts.intake import (
    BetrokkenPersoon,
    MeldingGeregistreerd,
    Routering,
    RouteringGrond,
)
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol, Urgentie
from shared.db import maak_engine
from shared.persoonsgegevens import ontsleutel, versleutel
from shared.sleutelkluis import Bewaartermijnen, Sleutelkluis, migreer

N = int(os.environ.get("BENCH_N_CRYPTO", "3000"))


class Geheugen:
    """Keys in a dict: the cost of the cryptography alone."""

    def __init__(self) -> None:
        self.bos: dict[UUID, bytes] = {}

    def sleutels_voor(self, ids: Iterable[UUID], soort: str) -> dict[UUID, bytes | None]:
        return {i: self.bos.setdefault(i, os.urandom(32)) for i in ids}

    def sleutels(self, ids: Iterable[UUID]) -> dict[UUID, bytes | None]:
        return {i: self.bos.get(i) for i in ids}

    def gewist(self, ids: Iterable[UUID]) -> set[UUID]:
        return set()


def melding() -> MeldingGeregistreerd:
    personen = [BetrokkenPersoon(persoon_id=uuid4(), rol=Rol.BETROKKENE, bsn="123456782",
                                 voornamen=v, achternaam="Smidts")
                for v in ("Jan", "Aleid", "Daan")]
    nu = datetime.now(UTC)
    return MeldingGeregistreerd(
        melding_id=uuid4(), huis=HuisId.MAASTRICHT_HEUVELLAND, bron=Bron.POLITIE,
        organisatie="Politie", bron_referentie="BVH-1", doelgroep=Doelgroep.HUISELIJK_GEWELD,
        doelgroepen=[Doelgroep.HUISELIJK_GEWELD], gemeentecode="GM0935", ontvangen_op=nu,
        geregistreerd_op=nu, urgentie=Urgentie.NORMAAL,
        omschrijving="Ruzie over aankoop, slachtoffer geslagen, behandeld door huisgenoten.",
        routering=Routering(huis=HuisId.MAASTRICHT_HEUVELLAND, grond=RouteringGrond.PLEEGPLAATS,
                            toelichting="GM0935"),
        hoofdpersoon_id=personen[0].persoon_id, betrokkenen=personen)


def per_seconde(n: int, werk: Callable[[], object]) -> float:
    begin = time.perf_counter()
    for _ in range(n):
        werk()
    return n / (time.perf_counter() - begin)


def main() -> None:
    m = melding()
    kale = m.model_dump(mode="json")
    geheugen = Geheugen()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'kluis.db'}"
        migreer(url)
        kluis = Sleutelkluis(maak_engine(url), os.urandom(32), Bewaartermijnen({"melding": 730}))
        versleuteld = versleutel(m, kluis, "melding")
        in_geheugen = versleutel(m, geheugen, "melding")
        rijen = [
            ("publish: baseline model_dump", per_seconde(N, lambda: m.model_dump(mode="json"))),
            ("publish: crypto only", per_seconde(N, lambda: versleutel(m, geheugen, "melding"))),
            ("publish: with the vault", per_seconde(N // 10,
                                                     lambda: versleutel(m, kluis, "melding"))),
            ("consume: baseline model_validate",
             per_seconde(N, lambda: MeldingGeregistreerd.model_validate(kale))),
            ("consume: crypto only", per_seconde(N, lambda: MeldingGeregistreerd.model_validate(
                ontsleutel(in_geheugen, geheugen)))),
            ("consume: with the vault", per_seconde(N // 10, lambda: MeldingGeregistreerd
                                                     .model_validate(ontsleutel(versleuteld,
                                                                                kluis)))),
        ]
    print(f"encryption benchmark: {N} events of 3 persons (the vault rows: {N // 10})")
    basis = {"publish": rijen[0][1], "consume": rijen[3][1]}
    for naam, snelheid in rijen:
        print(f"  {naam:<34} {snelheid:>10,.0f} events/s   ratio "
              f"{snelheid / basis[naam.split(':')[0]]:.3f}")


if __name__ == "__main__":
    main()
