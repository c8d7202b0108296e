"""The consumer for services not yet on a dispatch table: they hand the kit's loop a function
that takes a whole record. New code uses ``shared.kit.consumer`` with a dispatch table; this
adapter keeps the older handlers running on the same loop, retry and set-aside meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shared.kafka_io import Record
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, een_voor_een

__all__ = ["ConsumerConfig", "EventConsumer"]


class EventConsumer(KafkaConsumer):
    def __init__(self, config: ConsumerConfig, verwerk: Callable[[Record], None],
                 wijs_af: Callable[[Record, str], None]) -> None:
        super().__init__(config, self._per_record)
        self.verwerk = verwerk
        self.wijs_af = wijs_af
        self.verwerkt = 0

    async def _per_record(self, records: Sequence[Record]) -> int:
        klaar = await een_voor_een(records, self.verwerk, self.wijs_af,
                                   gestopt=self._stop.is_set, pogingen=self.config.pogingen,
                                   max_wacht=self.config.max_wacht)
        self.verwerkt += klaar
        return klaar
