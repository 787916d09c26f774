"""Ledger records as OpenTelemetry-shaped log events (pure: no SDK, no network).

A collector routes on attributes, so each event carries flat, typed attributes:
the repository, commit, AI tool and model, rule, CWE and mapped controls, plus the
ledger's own event name, actor, sequence number and record hash (so a SIEM entry
can be traced back to a verifiable ledger line). Only an allow-list of fields is
ever copied: code, prompts and secrets never reach the ledger as text, and free
text that does (suppression reasons) stays in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

AttributeValue = str | bool | int | float | list[str]

SCOPE = "genguard.ledger"
EVENT_PREFIX = "genguard."
_WARN_EVENTS = frozenset({"commit.bypassed", "ledger.recovered", "config.refused"})
_CHUNK_EVENTS = frozenset(
    {"chunk.created", "chunk.modified", "chunk.restored", "chunk.reviewed", "chunk.ended"}
)
#: data field -> attribute, copied when the value is a scalar of an allowed type.
_SCALARS: tuple[tuple[str, str], ...] = (
    ("commit", "genguard.commit"),
    ("file", "genguard.file"),
    ("chunk", "genguard.chunk"),
    ("rule", "genguard.rule"),
    ("severity", "genguard.severity"),
    ("method", "genguard.method"),
    ("kind", "genguard.kind"),
    ("status", "genguard.status"),
    ("reviewer", "genguard.reviewer"),
    ("by", "genguard.by"),
    ("source", "genguard.source"),
    ("gate", "genguard.gate"),
    ("operation", "genguard.operation"),
    ("ai_lines", "genguard.ai_lines"),
    ("added_lines", "genguard.added_lines"),
    ("bypass", "genguard.bypass"),
    ("note_hash", "genguard.note_hash"),
    ("human_edited_share", "genguard.human_edited_share"),
)


@dataclass(frozen=True, slots=True)
class Repository:
    """What identifies the repository in every event (no credentials)."""

    name: str
    url: str | None = None

    def resource(self) -> dict[str, str]:
        out = {"vcs.repository.name": self.name}
        if self.url:
            out["vcs.repository.url.full"] = self.url
        return out


@dataclass(frozen=True, slots=True)
class LogEvent:
    time_unix_nano: int
    event_name: str
    severity: str  # INFO | WARN | ERROR
    body: str
    attributes: dict[str, AttributeValue] = field(default_factory=dict)


def safe_url(url: str | None) -> str | None:
    """A remote URL without user, password or token (``https://tok@host/x`` -> ``https://host/x``)."""
    if not url:
        return None
    text = url.strip()
    if "://" not in text:  # scp-like git@host:path: the user is not a secret, drop it anyway
        return re.sub(r"^[^@/]+@", "", text) or None
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def parse_time(text: str) -> int:
    """Nanoseconds since the epoch of an RFC 3339 time (``Z`` or an offset)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1_000_000) * 1000


def parse_bound(text: str, *, end: bool = False) -> datetime:
    """A ``--since``/``--until`` value: a date (``2026-11-27``, the whole day for ``end``)
    or a date and time; ValueError with the accepted forms otherwise."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) if end else start
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | bool | int | float) and value != ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str) and v]
    return []


class EventMapper:
    """Turns ledger records into log events, remembering each chunk's tool and model so
    that a finding about a chunk carries the AI that wrote it.

    ``rule_controls`` gives a rule's ``controls`` (framework -> ids) and CWE, for
    findings recorded before a rule's metadata was part of the record.
    """

    def __init__(
        self,
        repository: Repository,
        rule_info: Callable[[str], tuple[Mapping[str, Iterable[str]], Iterable[str]] | None]
        | None = None,
    ) -> None:
        self.repository = repository
        self.rule_info = rule_info
        self.chunks: dict[str, tuple[str | None, str | None]] = {}

    def learn(self, record: Mapping[str, Any]) -> None:
        """Remember the tool and model of a chunk event (no event is produced)."""
        data = record.get("data") or {}
        chunk = data.get("chunk")
        if not isinstance(chunk, str) or record.get("event") not in _CHUNK_EVENTS:
            return
        tool, model = self.chunks.get(chunk, (None, None))
        if isinstance(data.get("tool"), str):
            tool = data["tool"]
        if "model" in data and (data["model"] is None or isinstance(data["model"], str)):
            model = data["model"]
        self.chunks[chunk] = (tool, model)

    def event(self, record: Mapping[str, Any]) -> LogEvent:
        """The log event of one ledger record (learns from it first)."""
        self.learn(record)
        name = str(record.get("event", "unknown"))
        data = record.get("data") or {}
        attrs: dict[str, AttributeValue] = {
            "genguard.event": name,
            "genguard.repository": self.repository.name,
        }
        for key, value in (
            ("genguard.seq", record.get("seq")),
            ("genguard.record_hash", record.get("hash")),
            ("genguard.actor", record.get("actor")),
        ):
            if _scalar(value):
                attrs[key] = value
        for key, attr in _SCALARS:
            value = data.get(key)
            if _scalar(value):
                attrs[attr] = value
        tool, model = data.get("tool"), data.get("model")
        chunk = data.get("chunk")
        if isinstance(chunk, str) and chunk in self.chunks:
            known_tool, known_model = self.chunks[chunk]
            tool = tool if isinstance(tool, str) else known_tool
            model = model if isinstance(model, str) else known_model
        if isinstance(tool, str) and tool:
            attrs["genguard.tool"] = tool
        if isinstance(model, str) and model:
            attrs["genguard.model"] = model
        cwe = _strings(data.get("cwe"))
        controls: Mapping[str, Iterable[str]] = {}
        rule = data.get("rule")
        if isinstance(rule, str) and self.rule_info is not None:
            info = self.rule_info(rule)
            if info is not None:
                controls, rule_cwe = info
                cwe = cwe or [str(c) for c in rule_cwe]
        if cwe:
            attrs["genguard.cwe"] = cwe
        for framework, ids in sorted(controls.items()):
            values = [str(i) for i in ids]
            if values:
                attrs[f"genguard.controls.{framework}"] = values
        files = data.get("files")
        if isinstance(files, list):  # checkpoint.recorded: the paths it touched
            paths = [f.get("file") for f in files if isinstance(f, dict)]
            attrs["genguard.files"] = [p for p in paths if isinstance(p, str)]
        severity = "INFO"
        if name in _WARN_EVENTS or (name == "finding.raised" and data.get("severity") == "error"):
            severity = "WARN"
        return LogEvent(
            time_unix_nano=_time(record.get("time")),
            event_name=EVENT_PREFIX + name,
            severity=severity,
            body=_body(name, attrs),
            attributes=attrs,
        )


def _time(value: Any) -> int:
    try:
        return parse_time(str(value))
    except (TypeError, ValueError):
        return 0


def _body(name: str, attrs: Mapping[str, AttributeValue]) -> str:
    """A one-line summary built from attributes only."""
    parts = [name]
    for key, fmt in (
        ("genguard.rule", "{}"),
        ("genguard.cwe", "({})"),
        ("genguard.file", "in {}"),
        ("genguard.commit", "commit {}"),
        ("genguard.tool", "by {}"),
        ("genguard.model", "({})"),
        ("genguard.chunk", "[chunk {}]"),
    ):
        value = attrs.get(key)
        if value:
            text = ", ".join(value) if isinstance(value, list) else str(value)
            if key == "genguard.commit":
                text = text[:12]
            parts.append(fmt.format(text))
    return " ".join(parts)


def select(
    records: Iterable[Mapping[str, Any]],
    mapper: EventMapper,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[LogEvent]:
    """Events of the records within [since, until); earlier ones still teach the mapper."""
    lo = int(since.timestamp() * 1e9) if since else None
    hi = int(until.timestamp() * 1e9) if until else None
    for record in records:
        t = _time(record.get("time"))
        if (lo is not None and t < lo) or (hi is not None and t >= hi):
            mapper.learn(record)
            continue
        yield mapper.event(record)
