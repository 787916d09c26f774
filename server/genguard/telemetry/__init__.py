"""OpenTelemetry export of ledger events (OTLP/HTTP log records).

``events`` maps ledger records to log events (pure); ``otlp`` sends them with the
OpenTelemetry SDK (imported only when something is sent); ``live`` streams them
from the editor without ever blocking it; ``export_ledger`` is the batch export
behind ``genguard export otlp``.
"""

from genguard.telemetry.events import (
    EventMapper,
    LogEvent,
    Repository,
    parse_bound,
    safe_url,
    select,
)
from genguard.telemetry.export import ExportResult, export_ledger

__all__ = [
    "EventMapper",
    "ExportResult",
    "LogEvent",
    "Repository",
    "export_ledger",
    "parse_bound",
    "safe_url",
    "select",
]
