"""Units of work over one database, the same way in every service: a session per unit, rolled
back on leaving unless the use case committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

U = TypeVar("U")


class Eenheden(Generic[U]):
    """Call it for a unit of work: ``with uow() as u: ...; u.commit()``. ``bij_botsing`` turns
    a unique-key clash (two writers at the same moment) into the service's own exception."""

    def __init__(self, engine: Engine, maak: Callable[[Session], U], *,
                 bij_botsing: Callable[[IntegrityError], Exception] | None = None) -> None:
        self.engine = engine
        self._maak = maak
        self._bij_botsing = bij_botsing

    @contextmanager
    def __call__(self) -> Iterator[U]:
        with Session(self.engine) as session:
            try:
                yield self._maak(session)
            except IntegrityError as exc:
                if self._bij_botsing is None:
                    raise
                raise self._bij_botsing(exc) from exc
            finally:
                session.rollback()
