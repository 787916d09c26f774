"""``genguard export otlp``: send a window of the ledger to an OpenTelemetry collector.

The ledger stays the record; the collector gets a copy. Sending again is safe to
repeat from a SIEM's point of view because every event carries the record's
``genguard.seq`` and ``genguard.record_hash`` to deduplicate on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from genguard.telemetry.events import EventMapper, Repository, select
from genguard.telemetry.otlp import DEFAULT_TIMEOUT, OtlpLogSender


@dataclass(slots=True)
class ExportResult:
    selected: int = 0
    sent: int = 0
    failed: int = 0
    error: str | None = None
    seconds: float = 0.0
    url: str = ""

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.error is None


def export_ledger(
    ledger: Path,
    endpoint: str,
    repository: Repository,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    rules: Any = None,
    timeout: float = DEFAULT_TIMEOUT,
    version: str = "",
) -> ExportResult:
    """Send the ledger records in [since, until) as log records; never raises for a
    collector that is down (the result says so), only for a bad endpoint or a missing
    SDK (``EndpointError``, ``TelemetryMissing``)."""
    from genguard.ledger.store import Ledger
    from genguard.telemetry.live import rule_info_from

    mapper = EventMapper(repository, rule_info_from(rules) if rules is not None else None)
    records = Ledger(ledger).records() if ledger.is_file() else iter(())
    events = list(select(records, mapper, since, until))
    result = ExportResult(selected=len(events))
    with OtlpLogSender(
        endpoint, resource=repository.resource(), timeout=timeout, version=version
    ) as sender:
        result.url = sender.url
        if events:
            report = sender.send(events)
            result.sent, result.failed = report.sent, report.failed
            result.error, result.seconds = report.error, report.seconds
    return result
