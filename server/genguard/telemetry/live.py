"""The live exporter: ledger records streamed to a collector while the editor runs.

The editor must never wait for a collector. :meth:`LiveExporter.submit` only puts
the record on a bounded queue (dropping, and counting, what does not fit) and
returns; a daemon thread maps records to events, sends them in batches, retries
with backoff while the collector is down and warns once per outage. Nothing is
lost from the ledger when the collector misses events: ``genguard export otlp
--since`` sends them again.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from genguard.telemetry.events import EventMapper, LogEvent, Repository

log = logging.getLogger(__name__)

QUEUE_SIZE = 2000
BATCH = 200
BACKOFF = (1.0, 2.0, 5.0, 15.0, 30.0, 60.0)
SEND_TIMEOUT = 3.0

Sender = Callable[[list[LogEvent]], Any]  # returns something with .ok / .error


class LiveExporter:
    """Sends ledger records to ``endpoint`` from a background thread.

    ``sender_factory`` builds the sending side on the worker thread (the OTLP
    pipeline by default) so that even importing the SDK costs the caller nothing.
    ``ledger`` is replayed once, on the worker, so findings about chunks created
    before the exporter started still name their tool and model.
    """

    def __init__(
        self,
        endpoint: str,
        repository: Repository,
        *,
        rule_info: Callable[[str], Any] | None = None,
        ledger: Path | None = None,
        queue_size: int = QUEUE_SIZE,
        batch: int = BATCH,
        backoff: tuple[float, ...] = BACKOFF,
        timeout: float = SEND_TIMEOUT,
        sender_factory: Callable[[], Any] | None = None,
        warn: Callable[[str], None] | None = None,
        version: str = "",
    ) -> None:
        self.endpoint = endpoint
        self.repository = repository
        self.mapper = EventMapper(repository, rule_info)
        self.ledger = ledger
        self.batch = max(1, batch)
        self.backoff = backoff or (1.0,)
        self.timeout = timeout
        self.version = version
        self.warn = warn or log.warning
        self._factory = sender_factory
        self._queue: queue.Queue[Mapping[str, Any] | None] = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self.sent = 0
        self.dropped = 0
        self.down = False
        self._dropped_warned = False
        self._thread = threading.Thread(target=self._run, name="genguard-otlp", daemon=True)
        self._thread.start()

    # -- caller side (never blocks) -------------------------------------------------
    def submit(self, record: Mapping[str, Any] | None) -> None:
        """Queue one ledger record; drops it (counted) when the queue is full."""
        if record is None or self._stop.is_set():
            return
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self.dropped += 1
            if not self._dropped_warned:
                self._dropped_warned = True
                self.warn(
                    f"genguard telemetry: the queue for {self.endpoint} is full; events are "
                    "dropped until it drains (they stay in the ledger: `genguard export otlp "
                    "--since` sends them again)"
                )

    def close(self, timeout: float = 1.0) -> None:
        """Stop the worker; waits at most ``timeout`` seconds (queued events may be lost)."""
        self._stop.set()
        with suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join(timeout)

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    # -- worker side ------------------------------------------------------------------
    def _sender(self) -> Any:
        if self._factory is not None:
            return self._factory()
        from genguard.telemetry.otlp import OtlpLogSender

        return OtlpLogSender(
            self.endpoint,
            resource=self.repository.resource(),
            timeout=self.timeout,
            version=self.version,
        )

    def _prime(self) -> None:
        if self.ledger is None or not self.ledger.is_file():
            return
        try:
            from genguard.ledger.store import Ledger

            for record in Ledger(self.ledger).records():
                self.mapper.learn(record)
        except Exception as exc:  # a damaged ledger only costs tool names on old chunks
            log.debug("telemetry: could not replay the ledger: %s", exc)

    def _take(self) -> list[Mapping[str, Any]] | None:
        """Up to ``batch`` records (waiting for the first); None when stopping."""
        first = self._queue.get()
        if first is None:
            return None
        items = [first]
        while len(items) < self.batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                self._stop.set()
                break
            items.append(item)
        return items

    def _run(self) -> None:
        try:
            sender = self._sender()
        except Exception as exc:
            self.warn(f"genguard telemetry: export to {self.endpoint} is off: {exc}")
            self._stop.set()
            return
        self._prime()
        try:
            while not self._stop.is_set():
                records = self._take()
                if records is None:
                    break
                events = [self.mapper.event(r) for r in records]
                self._deliver(sender, events)
        finally:
            close = getattr(sender, "close", None)
            if close is not None:
                with suppress(Exception):
                    close()

    def _deliver(self, sender: Any, events: list[LogEvent]) -> None:
        attempt = 0
        while True:
            try:
                report = sender.send(events)
                ok, error = bool(report.ok), getattr(report, "error", None)
            except Exception as exc:
                ok, error = False, str(exc)
            if ok:
                self.sent += len(events)
                if self.down:
                    self.down = False
                    log.info("genguard telemetry: %s is reachable again", self.endpoint)
                return
            if not self.down:
                self.down = True
                self.warn(
                    f"genguard telemetry: the collector at {self.endpoint} is not accepting "
                    f"events ({error}); retrying in the background, the editor is not affected"
                )
            delay = self.backoff[min(attempt, len(self.backoff) - 1)]
            attempt += 1
            if self._stop.wait(delay):
                return


def live_exporter(
    settings: Any,
    root: Path | None,
    *,
    current: LiveExporter | None = None,
    rules: Any = None,
    ledger: Path | None = None,
) -> LiveExporter | None:
    """The exporter ``[telemetry]`` asks for: ``current`` when nothing changed, a new one
    when the endpoint changed, None (``current`` closed) when it is off. Never raises:
    telemetry must not stop the editor from starting."""
    try:
        return _live_exporter(settings, root, current, rules, ledger)
    except Exception as exc:
        log.warning("genguard telemetry: off: %s", exc)
        return None


def _live_exporter(
    settings: Any,
    root: Path | None,
    current: LiveExporter | None,
    rules: Any,
    ledger: Path | None,
) -> LiveExporter | None:
    rule_info = rule_info_from(rules) if rules is not None else None
    cfg = settings.telemetry
    endpoint = cfg.otlp_endpoint
    if not cfg.enabled or not endpoint or root is None:
        if current is not None:
            current.close(0.2)
        return None
    if current is not None and current.endpoint == endpoint:
        current.mapper.rule_info = rule_info
        return current
    if current is not None:
        current.close(0.2)
    from genguard import __version__
    from genguard.telemetry.otlp import EndpointError, logs_url

    try:
        logs_url(endpoint)
    except EndpointError as exc:
        log.warning("genguard telemetry: %s", exc)
        return None
    return LiveExporter(
        endpoint,
        repository_of(root),
        rule_info=rule_info,
        ledger=ledger,
        version=__version__,
    )


def repository_of(root: Path) -> Repository:
    """Name and credential-free origin URL of the repository at ``root``."""
    from genguard.gitio.run import GitError, run_git
    from genguard.telemetry.events import safe_url

    url = None
    try:
        proc = run_git(
            root, "config", "--get", "remote.origin.url", hook_env=False, check=False, timeout=5.0
        )
        if proc.returncode == 0:
            url = safe_url(proc.stdout.decode("utf-8", "replace").strip())
    except GitError:
        pass
    return Repository(Path(root).name, url)


def rule_info_from(rules: Any) -> Callable[[str], Any]:
    """A lookup of (controls, cwe) by rule id over a ruleset."""
    table = {r.id: (dict(r.controls), tuple(r.cwe)) for r in getattr(rules, "rules", rules)}
    return table.get


def wait_idle(exporter: LiveExporter, timeout: float) -> bool:
    """True once the queue is empty (for tests and shutdown); False after ``timeout``."""
    deadline = time.monotonic() + timeout
    while exporter.pending and time.monotonic() < deadline:
        time.sleep(0.02)
    return not exporter.pending
