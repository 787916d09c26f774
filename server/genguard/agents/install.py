"""Writing an agent's hook configuration so it calls ``genguard record`` (merging).

An existing configuration file is read, extended and written back; entries of
other tools are kept, and an entry genguard already added is not added twice.
A file that is not valid JSON is refused (nothing is written), never replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard.fileio import write_atomic

AGENTS: tuple[str, ...] = ("claude-code", "cursor", "copilot")
CLAUDE_MATCHER = "Write|Edit|MultiEdit"


class AgentConfigError(ValueError):
    """The agent's existing configuration cannot be merged; nothing was written."""


def command(agent: str) -> str:
    return f"genguard record --from {agent}"


@dataclass(slots=True)
class AgentInstall:
    path: Path
    added: list[str] = field(default_factory=list)  # hook events that got our command

    @property
    def changed(self) -> bool:
        return bool(self.added)


def _load(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError) as exc:
        raise AgentConfigError(f"{path} is not valid JSON ({exc}); fix it, then run again") from exc
    if not isinstance(data, dict):
        raise AgentConfigError(f"{path} must hold a JSON object")
    return data


def _hooks_table(data: dict[str, Any], path: Path) -> dict[str, Any]:
    hooks = data.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise AgentConfigError(f"{path}: 'hooks' must be an object")
    return hooks


def _event_list(hooks: dict[str, Any], event: str, path: Path) -> list[Any]:
    entries = hooks.setdefault(event, [])
    if not isinstance(entries, list):
        raise AgentConfigError(f"{path}: hooks.{event} must be a list")
    return entries


def _mentions(value: Any, text: str) -> bool:
    return text in json.dumps(value)


def _claude(data: dict[str, Any], path: Path) -> list[str]:
    hooks = _hooks_table(data, path)
    cmd = command("claude-code")
    added = []
    for event, matcher in (
        ("PreToolUse", CLAUDE_MATCHER),
        ("PostToolUse", CLAUDE_MATCHER),
        ("UserPromptSubmit", None),
    ):
        entries = _event_list(hooks, event, path)
        if any(_mentions(e, cmd) for e in entries):
            continue
        entry: dict[str, Any] = {"hooks": [{"type": "command", "command": cmd}]}
        if matcher is not None:
            entry = {"matcher": matcher, **entry}
        entries.append(entry)
        added.append(event)
    return added


def _cursor(data: dict[str, Any], path: Path) -> list[str]:
    data.setdefault("version", 1)
    hooks = _hooks_table(data, path)
    cmd = command("cursor")
    added = []
    for event in ("afterFileEdit", "beforeSubmitPrompt"):
        entries = _event_list(hooks, event, path)
        if not any(_mentions(e, cmd) for e in entries):
            entries.append({"command": cmd})
            added.append(event)
    return added


def _copilot(data: dict[str, Any], path: Path) -> list[str]:
    data.setdefault("version", 1)
    hooks = _hooks_table(data, path)
    cmd = command("copilot")
    added = []
    for event in ("postToolUse", "userPromptSubmitted"):
        entries = _event_list(hooks, event, path)
        if not any(_mentions(e, cmd) for e in entries):
            entries.append({"type": "command", "bash": cmd, "timeoutSec": 10})
            added.append(event)
    return added


_TARGETS: dict[str, tuple[str, Callable[[dict[str, Any], Path], list[str]]]] = {
    "claude-code": (".claude/settings.json", _claude),
    "cursor": (".cursor/hooks.json", _cursor),
    "copilot": (".github/hooks/genguard.json", _copilot),
}


def install_agent_hooks(root: Path, agent: str) -> AgentInstall:
    """Add genguard's hooks to ``agent``'s project configuration under ``root``."""
    if agent not in _TARGETS:
        raise AgentConfigError(f"unknown agent {agent!r} (known: {', '.join(AGENTS)})")
    rel, merge = _TARGETS[agent]
    path = root / rel
    data = _load(path)
    added = merge(data, path)
    result = AgentInstall(path, added)
    if added:
        write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return result
