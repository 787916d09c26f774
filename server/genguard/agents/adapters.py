"""Reading the hook JSON that coding agents send on stdin (pure).

Each agent describes an edit differently; the result is one :class:`AgentEvent`:
which files changed and, where the agent says so, the text it wrote (so only
lines that came from the agent are attributed to it, not human edits made in
between; for a replacement, only the lines of the new text the old text
lacked), plus the model and conversation ids when given. Prompts are reduced to
their SHA-256 here and never kept as text.

- Claude Code: ``PostToolUse`` for ``Write`` (``tool_input.content``), ``Edit``
  (``old_string``/``new_string``) and ``MultiEdit`` (``edits``); ``PreToolUse``
  refreshes the file's snapshot; ``UserPromptSubmit`` gives the prompt.
- Cursor: ``afterFileEdit`` (``file_path``, ``edits``, ``model``,
  ``conversation_id``, ``generation_id``); ``beforeSubmitPrompt`` the prompt.
- GitHub Copilot: ``postToolUse`` (``toolName``, ``toolArgs`` as JSON text or an
  object with a path and the new text); ``userPromptSubmitted`` the prompt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from genguard.ledger.records import hash_text

SOURCES: tuple[str, ...] = ("claude-code", "cursor", "copilot")
CLAUDE_EDIT_TOOLS = frozenset({"Write", "Edit", "MultiEdit"})

_PATH_KEYS = ("file_path", "path", "filePath", "filename", "file")
_NEW_TEXT_KEYS = ("new_string", "new_str", "newString", "content", "file_text", "text", "contents")


class AdapterError(ValueError):
    """The hook input is not what the agent sends; nothing is recorded."""


@dataclass(slots=True)
class FileEdit:
    path: str
    #: What the agent wrote into the file, when it says; None: attribute every change.
    new_texts: list[str] | None = None


@dataclass(slots=True)
class AgentEvent:
    source: str
    kind: str  # "edit" | "snapshot" | "prompt" | "ignore"
    tool: str
    model: str | None = None
    cwd: str | None = None
    files: list[FileEdit] = field(default_factory=list)
    prompt_hash: str | None = None
    session: str | None = None
    generation: str | None = None
    event: str | None = None


def _load(raw: str | bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise AdapterError(f"the hook input on stdin is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise AdapterError(f"the hook input must be a JSON object, not {type(data).__name__}")
    return data


def _str(data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def added_text(old: str | None, new: str) -> str:
    """The lines of ``new`` that ``old`` did not have (a replacement's context lines,
    repeated in both, are not the agent's)."""
    remaining: dict[str, int] = {}
    for line in (old or "").splitlines():
        remaining[line.strip()] = remaining.get(line.strip(), 0) + 1
    out = []
    for line in new.splitlines():
        key = line.strip()
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
        else:
            out.append(line)
    return "\n".join(out)


def _edit_text(edit: Mapping[str, Any], where: str) -> str | None:
    new = edit.get("new_string", edit.get("new_str", edit.get("newString")))
    old = edit.get("old_string", edit.get("old_str", edit.get("oldString")))
    if new is not None and not isinstance(new, str):
        raise AdapterError(f"{where}.new_string must be a string")
    if old is not None and not isinstance(old, str):
        raise AdapterError(f"{where}.old_string must be a string")
    return added_text(old, new) if new else None


def _texts(values: Any, where: str) -> list[str]:
    if not isinstance(values, list):
        raise AdapterError(f"{where} must be a list of edits")
    out: list[str] = []
    for i, edit in enumerate(values):
        if not isinstance(edit, dict):
            raise AdapterError(f"{where}[{i}] must be an object")
        text = _edit_text(edit, f"{where}[{i}]")
        if text:
            out.append(text)
    return out


def _prompt(data: Mapping[str, Any], *keys: str) -> str | None:
    text = _str(data, *keys)
    return hash_text(text) if text is not None else None


def parse_claude_code(data: Mapping[str, Any]) -> AgentEvent:
    event = _str(data, "hook_event_name") or "PostToolUse"
    base = AgentEvent(
        source="claude-code",
        kind="ignore",
        tool="claude-code",
        model=_str(data, "model"),
        cwd=_str(data, "cwd"),
        session=_str(data, "session_id"),
        event=event,
    )
    if event == "UserPromptSubmit":
        base.kind = "prompt"
        base.prompt_hash = _prompt(data, "prompt")
        return base
    if event not in ("PostToolUse", "PreToolUse"):
        return base
    tool_name = data.get("tool_name")
    if tool_name not in CLAUDE_EDIT_TOOLS:
        return base
    tool_input = data.get("tool_input")
    if not isinstance(tool_input, dict):
        raise AdapterError(f"{event} for {tool_name}: tool_input must be an object")
    path = _str(tool_input, "file_path")
    if path is None:
        raise AdapterError(f"{event} for {tool_name}: tool_input.file_path is missing")
    if event == "PreToolUse":
        base.kind = "snapshot"
        base.files = [FileEdit(path)]
        return base
    if tool_name == "Write":
        content = tool_input.get("content")
        if not isinstance(content, str):
            raise AdapterError("PostToolUse for Write: tool_input.content must be a string")
        texts = [content]
    elif tool_name == "Edit":
        if not isinstance(tool_input.get("new_string"), str):
            raise AdapterError("PostToolUse for Edit: tool_input.new_string must be a string")
        text = _edit_text(tool_input, "PostToolUse for Edit: tool_input")
        texts = [text] if text else []
    else:
        texts = _texts(tool_input.get("edits"), "PostToolUse for MultiEdit: tool_input.edits")
    base.kind = "edit"
    base.files = [FileEdit(path, texts)]
    return base


def parse_cursor(data: Mapping[str, Any]) -> AgentEvent:
    event = _str(data, "hook_event_name") or "afterFileEdit"
    roots = data.get("workspace_roots")
    cwd = _str(data, "cwd") or (roots[0] if isinstance(roots, list) and roots else None)
    base = AgentEvent(
        source="cursor",
        kind="ignore",
        tool="cursor",
        model=_str(data, "model"),
        cwd=cwd if isinstance(cwd, str) else None,
        session=_str(data, "conversation_id"),
        generation=_str(data, "generation_id"),
        event=event,
    )
    if event == "beforeSubmitPrompt":
        base.kind = "prompt"
        base.prompt_hash = _prompt(data, "prompt")
        return base
    if event != "afterFileEdit":
        return base
    path = _str(data, "file_path")
    if path is None and isinstance(data.get("tool_input"), dict):
        path = _str(data["tool_input"], "file_path")
    if path is None:
        raise AdapterError("afterFileEdit: file_path is missing")
    edits = data.get("edits")
    if edits is None and isinstance(data.get("tool_input"), dict):
        edits = data["tool_input"].get("edits")
    base.kind = "edit"
    base.files = [
        FileEdit(path, _texts(edits, "afterFileEdit: edits") if edits is not None else None)
    ]
    return base


def parse_copilot(data: Mapping[str, Any]) -> AgentEvent:
    event = _str(data, "hook_event_name", "hookEventName") or (
        "userPromptSubmitted" if "prompt" in data else "postToolUse"
    )
    base = AgentEvent(
        source="copilot",
        kind="ignore",
        tool="copilot",
        model=_str(data, "model"),
        cwd=_str(data, "cwd"),
        session=_str(data, "sessionId", "session_id"),
        event=event,
    )
    if event == "userPromptSubmitted":
        base.kind = "prompt"
        base.prompt_hash = _prompt(data, "prompt")
        return base
    if event != "postToolUse":
        return base
    args = data.get("toolArgs")
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError as exc:
            raise AdapterError(f"postToolUse: toolArgs is not valid JSON ({exc})") from exc
    if not isinstance(args, dict):
        return base
    path = _str(args, *_PATH_KEYS)
    if path is None:
        return base  # a tool that does not write files (shell, search...)
    old = _str(args, "old_str", "old_string", "oldString")
    texts = [added_text(old, v) for k in _NEW_TEXT_KEYS if isinstance(v := args.get(k), str) and v]
    base.kind = "edit"
    base.files = [FileEdit(path, texts or None)]
    return base


_PARSERS = {"claude-code": parse_claude_code, "cursor": parse_cursor, "copilot": parse_copilot}


def parse(source: str, raw: str | bytes) -> AgentEvent:
    """The event in ``raw`` (the hook's stdin) from agent ``source``."""
    parser = _PARSERS.get(source)
    if parser is None:
        raise AdapterError(f"unknown agent {source!r} (known: {', '.join(SOURCES)})")
    return parser(_load(raw))
