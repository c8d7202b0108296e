"""The person index rule: when are two betrokkenen the same person?

The same BSN is the same person. Without a BSN, the same normalised first name, surname and birth
date is the same person, provided that this points to exactly one known person who does not
carry a different BSN. Without a BSN and without a birth date a person cannot be recognised and
gets a new id; the same holds when the normalised first name or surname has fewer than
``MINIMUM_LETTERS`` letters, as such a name tells too little to tell people apart. Keys are keyed
hashes (HMAC), so the index holds no BSN or name in the clear.

A name is normalised in every script alike: compatibility forms folded (NFKC), invisible format
characters (zero-width, bidirectional controls, soft hyphen) dropped, transliterated to Latin
letters (Unidecode: 'Иванов' and 'Ivanov' are alike, 'ł' is 'l', 'ß' is 'ss'), lower case letters
a to z kept. Before this, any letter outside a to z was dropped, so a name in another script
reduced to nothing and different people with one birth date became one person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID, uuid4

from services.intake.domain.melding import Betrokkene
from shared import pseudoniem


@dataclass(frozen=True)
class PersoonSleutels:
    bsn: str | None
    naam: str | None


@dataclass(frozen=True)
class BekendPersoon:
    persoon_id: UUID
    heeft_bsn: bool


@dataclass(frozen=True)
class Koppeling:
    """The outcome: an existing person (maybe learning its BSN now), or a new one."""

    persoon_id: UUID | None
    bsn_toevoegen: bool = False

    @property
    def nieuw(self) -> bool:
        return self.persoon_id is None


MINIMUM_LETTERS = pseudoniem.MINIMUM_LETTERS
"""Fewer letters in the normalised first name or surname: no match on name, a new person."""

normaliseer = pseudoniem.normaliseer


def sleutels(betrokkene: Betrokkene, geheim: bytes) -> PersoonSleutels:
    return sleutels_van(betrokkene.bsn, betrokkene.voornamen, betrokkene.achternaam,
                        betrokkene.geboortedatum, geheim)


def sleutels_van(bsn: str | None, voornamen: str | None, achternaam: str,
                 geboortedatum: date | None, geheim: bytes) -> PersoonSleutels:
    return PersoonSleutels(
        bsn=pseudoniem.hmac_hex(geheim, f"bsn:{bsn}") if bsn else None,
        naam=pseudoniem.naamsleutel(voornamen, achternaam, geboortedatum, geheim))


def kies_persoon(
    *, op_bsn: BekendPersoon | None, op_naam: list[BekendPersoon], heeft_bsn: bool
) -> Koppeling:
    if op_bsn is not None:
        return Koppeling(op_bsn.persoon_id)
    # With a BSN that is not yet known, a name match carrying a BSN is somebody else.
    kandidaten = [p for p in op_naam if not (heeft_bsn and p.heeft_bsn)]
    if len(kandidaten) == 1:
        return Koppeling(kandidaten[0].persoon_id, bsn_toevoegen=heeft_bsn)
    return Koppeling(None)


@dataclass
class PersoonStand:
    """What the index holds of a person: the BSN key and the last known residence."""

    bsn: str | None
    woongemeente: str | None


@dataclass
class IndexDeel:
    """The part of the person index a batch of meldingen touches, read at once (every person
    one of its keys points to), then linked in memory in the batch's order: a person named
    twice in the batch is linked the second time as the index would stand after the first.
    What changed is written back in one go (:attr:`nieuw`, :attr:`gewijzigd`,
    :attr:`naamsleutels`)."""

    personen: dict[UUID, PersoonStand]
    op_naam: dict[str, list[UUID]]
    nieuw: list[UUID] = field(default_factory=list)
    gewijzigd: set[UUID] = field(default_factory=set)
    naamsleutels: list[tuple[str, UUID]] = field(default_factory=list)
    """Name keys to add: (key, person)."""

    def __post_init__(self) -> None:
        self._op_bsn = {p.bsn: pid for pid, p in self.personen.items() if p.bsn}

    def koppel(self, s: PersoonSleutels, woongemeentecode: str | None) -> UUID:
        """The persoon_id for these keys (:func:`kies_persoon`): a known person, learning its
        BSN and residence, or a new one."""
        bsn_pid = self._op_bsn.get(s.bsn) if s.bsn else None
        op_naam = [BekendPersoon(p, self.personen[p].bsn is not None)
                   for p in self.op_naam.get(s.naam, [])] if s.naam else []
        keuze = kies_persoon(op_bsn=BekendPersoon(bsn_pid, True) if bsn_pid else None,
                             op_naam=op_naam, heeft_bsn=s.bsn is not None)
        if keuze.persoon_id is None:
            pid = uuid4()
            self.personen[pid] = PersoonStand(s.bsn, woongemeentecode)
            self.nieuw.append(pid)
            if s.bsn:
                self._op_bsn[s.bsn] = pid
        else:
            pid = keuze.persoon_id
            stand = self.personen[pid]
            if keuze.bsn_toevoegen and s.bsn:
                stand.bsn = s.bsn
                self._op_bsn[s.bsn] = pid
                self.gewijzigd.add(pid)
            # Only a residence that changes is written back: a person named again where the
            # index already has them living costs no UPDATE (the common case in a feed).
            if woongemeentecode and woongemeentecode != stand.woongemeente:
                stand.woongemeente = woongemeentecode
                self.gewijzigd.add(pid)
        if s.naam and pid not in self.op_naam.get(s.naam, []):
            self.op_naam.setdefault(s.naam, []).append(pid)
            self.naamsleutels.append((s.naam, pid))
        return pid

    def te_wijzigen(self) -> list[UUID]:
        """The known persons that changed, in one order everywhere (their rows are locked in
        this order, so two batches wait for each other instead of deadlocking)."""
        return sorted(self.gewijzigd - set(self.nieuw))

    def woongemeente(self, persoon_id: UUID) -> str | None:
        return self.personen[persoon_id].woongemeente
