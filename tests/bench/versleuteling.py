"""`make bench`: what encrypting personal fields per person costs, as ratios.

In one run, for the same MeldingGeregistreerd (three persons, as the police's domestic-violence
example), per event:
- baseline: ``model_dump(mode="json")`` and ``model_validate`` (what publishing and consuming did
  before crypto-shredding);
- crypto only: ``versleutel`` / ``ontsleutel`` with the keys in memory (AES-GCM, the XOR shares);
- with the vault: the same against the key vault in a SQLite file (one lookup per event; under
  `vhh run` it is PostgreSQL);
- vault once per batch: as the services do now, a batch's persons asked of the vault at once.
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
from shared.persoonsgegevens import (
    Sleutelvoorraad,
    bereid_voor,
    ontsleutel,
    personen_in_tokens,
    versleutel,
)
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


def batch_per_seconde(n: int, grootte: int, werk: Callable[[list[int]], object]) -> float:
    """Events per second when ``werk`` handles them ``grootte`` at a time."""
    begin = time.perf_counter()
    for start in range(0, n, grootte):
        werk(list(range(start, min(n, start + grootte))))
    return n / (time.perf_counter() - begin)


BATCH = 100
"""Events per batch in the batch rows: a consumer's batch, a unit of work's outgoing events."""


def meet(n: int = N) -> list[tuple[str, float]]:
    """Events per second of each row (see the module's docstring)."""
    m = melding()
    kale = m.model_dump(mode="json")
    geheugen = Geheugen()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'kluis.db'}"
        migreer(url)
        kluis = Sleutelkluis(maak_engine(url), os.urandom(32), Bewaartermijnen({"melding": 730}))
        versleuteld = versleutel(m, kluis, "melding")
        in_geheugen = versleutel(m, geheugen, "melding")
        # Batches of other persons each: a batch asks the vault once for all of theirs.
        meldingen = [melding() for _ in range(max(n // 10, BATCH))]
        uit_batch = [versleutel(x, kluis, "melding") for x in meldingen]

        def publiceer_batch(idx: list[int]) -> None:
            voorraad = Sleutelvoorraad(kluis)
            voorbereid = [bereid_voor(meldingen[i % len(meldingen)]) for i in idx]
            voorraad.maak_vooruit([p for v in voorbereid for p in v.eigenaars], "melding")
            for v in voorbereid:
                v.versleuteld(voorraad.sleutels_voor(v.eigenaars, "melding"))

        def consumeer_batch(idx: list[int]) -> None:
            voorraad = Sleutelvoorraad(kluis)
            data = [uit_batch[i % len(uit_batch)] for i in idx]
            voorraad.lees_vooruit({p for d in data for p in personen_in_tokens(d)})
            for d in data:
                MeldingGeregistreerd.model_validate(ontsleutel(d, voorraad))

        rijen = [
            ("publish: baseline model_dump", per_seconde(n, lambda: m.model_dump(mode="json"))),
            ("publish: crypto only", per_seconde(n, lambda: versleutel(m, geheugen, "melding"))),
            ("publish: with the vault", per_seconde(n // 10,
                                                     lambda: versleutel(m, kluis, "melding"))),
            (f"publish: vault once per {BATCH}", batch_per_seconde(n // 2, BATCH,
                                                                   publiceer_batch)),
            ("consume: baseline model_validate",
             per_seconde(n, lambda: MeldingGeregistreerd.model_validate(kale))),
            ("consume: crypto only", per_seconde(n, lambda: MeldingGeregistreerd.model_validate(
                ontsleutel(in_geheugen, geheugen)))),
            ("consume: with the vault", per_seconde(n // 10, lambda: MeldingGeregistreerd
                                                     .model_validate(ontsleutel(versleuteld,
                                                                                kluis)))),
            (f"consume: vault once per {BATCH}", batch_per_seconde(n // 2, BATCH,
                                                                   consumeer_batch)),
        ]
    return rijen


def main() -> None:
    rijen = meet(N)
    print(f"encryption benchmark: {N} events of 3 persons (the vault rows: {N // 10}, "
          f"batches of {BATCH}: {N // 2})")
    basis = {"publish": rijen[0][1], "consume": rijen[4][1]}
    for naam, snelheid in rijen:
        print(f"  {naam:<34} {snelheid:>10,.0f} events/s   ratio "
              f"{snelheid / basis[naam.split(':')[0]]:.3f}")


if __name__ == "__main__":
    main()
