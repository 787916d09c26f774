"""Validation of genguard's custom LSP messages.

pygls hands custom params over as nested namedtuples (or whatever the client
sent); they are turned back into plain data and checked field by field so a
wrong type gets a precise error instead of an exception deep in a handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from genguard.ledger import hash_text
from genguard.session.document import GuardError, Range

AI_EDIT = "genguard/aiEdit"
"""An editor or agent declares text it inserted for an AI tool."""
HUMAN_EDIT = "genguard/humanEdit"
"""An editor says a change was typed by a person."""

_HASHLIKE = re.compile(r"^(sha256:)?[0-9a-fA-F]{16,128}$")


def plain(obj: Any) -> Any:
    """Namedtuples (pygls' view of unknown params) back to dicts and lists."""
    if hasattr(obj, "_asdict"):
        return {k: plain(v) for k, v in obj._asdict().items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if hasattr(obj, "__attrs_attrs__"):
        return {a.name: plain(getattr(obj, a.name)) for a in obj.__attrs_attrs__}
    return obj


def _field(obj: Any, name: str, kind: type | tuple[type, ...], where: str, *, required=True):
    if not isinstance(obj, dict):
        raise GuardError(f"{where}: expected an object, got {type(obj).__name__}")
    value = obj.get(name)
    if value is None:
        if required:
            raise GuardError(f"{where}.{name} is required")
        return None
    if (isinstance(value, bool) and kind is int) or not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise GuardError(f"{where}.{name}: expected {expected}, got {type(value).__name__}")
    return value


def _position(obj: Any, where: str) -> tuple[int, int]:
    line = _field(obj, "line", int, where)
    character = _field(obj, "character", int, where)
    if line < 0 or character < 0:
        raise GuardError(f"{where}: line and character must not be negative")
    return line, character


def parse_range(obj: Any, where: str = "range") -> Range:
    if not isinstance(obj, dict):
        raise GuardError(f"{where}: expected an object with start and end")
    start = _position(obj.get("start"), f"{where}.start")
    end = _position(obj.get("end"), f"{where}.end")
    if end < start:
        raise GuardError(f"{where}: end is before start")
    return start, end


@dataclass(frozen=True, slots=True)
class AiEdit:
    uri: str
    version: int | None
    range: Range
    tool: str
    model: str | None
    prompt_hash: str | None
    kind: str | None
    prompt_hash_was_hashed: bool = False


def parse_ai_edit(raw: Any) -> AiEdit:
    params = plain(raw)
    where = "genguard/aiEdit"
    doc = _field(params, "textDocument", dict, where)
    uri = _field(doc, "uri", str, f"{where}.textDocument")
    version = _field(doc, "version", int, f"{where}.textDocument", required=False)
    rng = parse_range(_field(params, "range", dict, where), f"{where}.range")
    tool = _field(params, "tool", str, where).strip()
    if not tool:
        raise GuardError(f"{where}.tool must not be empty")
    model = _field(params, "model", str, where, required=False)
    kind = _field(params, "kind", str, where, required=False)
    prompt_hash = _field(params, "promptHash", str, where, required=False)
    hashed = False
    if prompt_hash is not None and not _HASHLIKE.match(prompt_hash):
        # never store a prompt: if a client sent text instead of a hash, hash it
        prompt_hash = hash_text(prompt_hash)
        hashed = True
    return AiEdit(uri, version, rng, tool, model, prompt_hash, kind, hashed)


@dataclass(frozen=True, slots=True)
class HumanEdit:
    uri: str
    version: int | None
    range: Range
    reason: str


def parse_human_edit(raw: Any) -> HumanEdit:
    params = plain(raw)
    where = "genguard/humanEdit"
    doc = _field(params, "textDocument", dict, where)
    uri = _field(doc, "uri", str, f"{where}.textDocument")
    version = _field(doc, "version", int, f"{where}.textDocument", required=False)
    rng = parse_range(_field(params, "range", dict, where), f"{where}.range")
    reason = _field(params, "reason", str, where, required=False) or ""
    return HumanEdit(uri, version, rng, reason)


def parse_text_document_uri(raw: Any, where: str) -> str:
    params = plain(raw)
    doc = _field(params, "textDocument", dict, where)
    return _field(doc, "uri", str, f"{where}.textDocument")


def command_args(args: Any, names: tuple[str, ...], command: str) -> list[str]:
    args = plain(args)
    if len(args) == 1 and isinstance(args[0], list):  # some clients nest the list
        args = args[0]
    if len(args) < len(names):
        raise GuardError(f"{command} expects arguments [{', '.join(names)}], got {len(args)}")
    out = []
    for name, value in zip(names, args, strict=False):
        if not isinstance(value, str):
            raise GuardError(f"{command}: argument {name} must be a string")
        out.append(value)
    return out
