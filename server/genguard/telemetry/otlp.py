"""Sending log events over OTLP/HTTP with the OpenTelemetry SDK.

The SDK's log pipeline (``LoggerProvider`` -> ``BatchLogRecordProcessor`` ->
``OTLPLogExporter``) does the encoding, batching and retries; what genguard adds is
an answer to "did it arrive": the exporter is wrapped to count what the collector
accepted, every wait is bounded by ``timeout``, and after one failed batch the rest
of a send is not attempted (a collector that is down costs one timeout, not one per
batch). The SDK's own log messages about failed exports are collected into
:attr:`SendReport.error` instead of being printed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from genguard.extras import install_hint
from genguard.telemetry.events import SCOPE, LogEvent

LOGS_PATH = "/v1/logs"
DEFAULT_TIMEOUT = 5.0
BATCH = 512
_SEVERITY = {"INFO": "INFO", "WARN": "WARN", "ERROR": "ERROR"}


class TelemetryMissing(RuntimeError):
    """The OpenTelemetry SDK or its OTLP/HTTP exporter is not installed."""


class EndpointError(ValueError):
    """The endpoint is not an http(s) URL."""


def logs_url(endpoint: str) -> str:
    """The OTLP/HTTP logs URL: a base URL (``http://collector:4318``) gets ``/v1/logs``;
    a URL with a path is used as given."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f"{endpoint!r} is not an OTLP/HTTP endpoint (expected http(s)://host:port[/path])"
        )
    path = parts.path if parts.path not in ("", "/") else LOGS_PATH
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    failed: int = 0
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.error is None


class _Capture(logging.Handler):
    """Keeps the last message the SDK logs about a failed export."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.last = record.getMessage()
        except Exception:  # a message that does not format: keep the template
            self.last = str(record.msg)


def _sdk() -> Any:
    try:
        from opentelemetry._logs import LogRecord, SeverityNumber
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.sdk._logs import LoggerProvider
        from opentelemetry.sdk._logs import export as sdk_export
        from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
        from opentelemetry.sdk.resources import Resource
    except ImportError as exc:
        raise TelemetryMissing(
            f"OTLP export needs the OpenTelemetry SDK: {install_hint('otel')}"
        ) from exc
    base = getattr(sdk_export, "LogRecordExporter", None) or sdk_export.LogExporter
    return (
        LogRecord,
        SeverityNumber,
        OTLPLogExporter,
        LoggerProvider,
        BatchLogRecordProcessor,
        Resource,
        base,
    )


class OtlpLogSender:
    """One OTLP/HTTP log pipeline to one collector; ``send`` blocks at most about
    ``timeout`` seconds per batch and says how many events the collector accepted.

    Not thread-safe: one caller at a time (the CLI, or the live exporter's worker).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        resource: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        version: str = "",
    ) -> None:
        self.url = logs_url(endpoint)
        self.timeout = float(timeout)
        (
            self._LogRecord,
            self._Severity,
            exporter_cls,
            provider_cls,
            processor_cls,
            resource_cls,
            base,
        ) = _sdk()
        self._capture = _Capture()
        self._otel_log = logging.getLogger("opentelemetry")
        self._propagate = self._otel_log.propagate
        self._otel_log.addHandler(self._capture)
        self._otel_log.propagate = False
        exporter = exporter_cls(
            endpoint=self.url, timeout=self.timeout, headers=dict(headers) if headers else None
        )
        self._counter = _counting(base)(exporter)
        attrs = {"service.name": "genguard", **({"service.version": version} if version else {})}
        # no exit hook: leaving the editor must not wait on a collector that is down
        self._provider = provider_cls(
            resource=resource_cls.create({**attrs, **(resource or {})}), shutdown_on_exit=False
        )
        self._processor = processor_cls(
            self._counter,
            schedule_delay_millis=200,
            max_export_batch_size=BATCH,
            max_queue_size=BATCH * 4,
            export_timeout_millis=int(self.timeout * 1000),
        )
        self._provider.add_log_record_processor(self._processor)
        self._logger = self._provider.get_logger(SCOPE, version or None)
        self._closed = False

    def send(self, events: Sequence[LogEvent]) -> SendReport:
        """Send ``events`` in batches; stop at the first batch the collector refuses."""
        report = SendReport()
        started = time.monotonic()
        self._capture.last = None
        self._counter.reset()
        for i in range(0, len(events), BATCH):
            chunk = events[i : i + BATCH]
            before = self._counter.snapshot()
            for ev in chunk:
                self._emit(ev)
            flushed = self._processor.force_flush(int(self.timeout * 1000) + 1000)
            sent, failed, error = self._counter.since(before)
            report.sent += sent
            if failed or not flushed or sent < len(chunk):
                report.failed += len(chunk) - sent
                report.failed += len(events) - i - len(chunk)  # not attempted
                report.error = (
                    error
                    or self._capture.last
                    or (f"no answer from {self.url} within {self.timeout:g} s")
                )
                break
        report.seconds = time.monotonic() - started
        return report

    def _emit(self, ev: LogEvent) -> None:
        severity = getattr(self._Severity, _SEVERITY.get(ev.severity, "INFO"))
        self._logger.emit(
            self._LogRecord(
                timestamp=ev.time_unix_nano or time.time_ns(),
                observed_timestamp=time.time_ns(),
                severity_text=ev.severity,
                severity_number=severity,
                body=ev.body,
                attributes=ev.attributes,
                event_name=ev.event_name,
            )
        )

    def close(self) -> None:
        """Shut the pipeline down without waiting on a collector that is not answering."""
        if self._closed:
            return
        self._closed = True
        self._counter.closing = True
        done = threading.Event()

        def shutdown() -> None:
            try:
                self._provider.shutdown()
            finally:
                done.set()

        threading.Thread(target=shutdown, name="genguard-otlp-shutdown", daemon=True).start()
        done.wait(self.timeout + 1.0)
        self._otel_log.removeHandler(self._capture)
        self._otel_log.propagate = self._propagate

    def __enter__(self) -> OtlpLogSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _counting(base: type) -> type:
    """An exporter that delegates to the OTLP one and counts what was accepted."""

    class CountingExporter(base):  # type: ignore[misc, valid-type]
        def __init__(self, inner: Any) -> None:
            self.inner = inner
            self.lock = threading.Lock()
            self.sent = 0
            self.failed = 0
            self.error: str | None = None
            self.broken = False
            self.closing = False

        def reset(self) -> None:
            with self.lock:
                self.broken = False
                self.error = None

        def snapshot(self) -> tuple[int, int]:
            with self.lock:
                return self.sent, self.failed

        def since(self, before: tuple[int, int]) -> tuple[int, int, str | None]:
            with self.lock:
                return self.sent - before[0], self.failed - before[1], self.error

        def export(self, batch: Sequence[Any]) -> Any:
            if self.broken or self.closing:  # one failure per send: do not wait again
                result = None
            else:
                try:
                    result = self.inner.export(batch)
                except Exception as exc:  # a connection error the exporter let through
                    with self.lock:
                        self.error = f"cannot reach the collector: {exc}"
                    result = None
            ok = getattr(result, "name", "") == "SUCCESS"
            with self.lock:
                if ok:
                    self.sent += len(batch)
                else:
                    self.failed += len(batch)
                    self.broken = True
            return result if result is not None else _failure(self.inner)

        def shutdown(self) -> None:
            self.inner.shutdown()

        def force_flush(self, timeout_millis: int = 30_000) -> bool:
            return True

    return CountingExporter


def _failure(inner: Any) -> Any:
    """The SDK's FAILURE value, whatever its enum is called in this version."""
    from opentelemetry.sdk._logs import export as sdk_export

    enum = getattr(sdk_export, "LogRecordExportResult", None) or sdk_export.LogExportResult
    return enum.FAILURE
