"""Writing an agent's hook configuration so it calls ``genguard record`` (merging).

An existing configuration file is read, extended and written back; entries of
other tools are kept, and an entry genguard already added is not added twice.
A file that is not valid JSON is refused (nothing is written), never replaced.
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard.fileio import write_atomic

AGENTS: tuple[str, ...] = ("claude-code", "cursor", "copilot")
CLAUDE_MATCHER = "Write|Edit|MultiEdit"


class AgentConfigError(ValueError):
    """The agent's existing configuration cannot be merged; nothing was written."""


def marker(agent: str) -> str:
    """What every genguard entry for ``agent`` contains, whichever way it starts genguard."""
    return f"genguard record --from {agent}"


def command(agent: str, python: str | None = None) -> str:
    """The hook command: this interpreter runs genguard, as the git hooks do, so the
    hook works whatever the agent's PATH holds (a virtualenv not activated there)."""
    return f"{shlex.quote(python or sys.executable)} -m {marker(agent)}"


def _ours(value: Any, agent: str) -> bool:
    return marker(agent) in json.dumps(value)


def _refresh(value: Any, agent: str, cmd: str) -> bool:
    """Point every genguard command string inside ``value`` at ``cmd``; True if one changed."""
    changed = False
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and marker(agent) in item and item != cmd:
                value[key] = cmd
                changed = True
            else:
                changed |= _refresh(item, agent, cmd)
    elif isinstance(value, list):
        for item in value:
            changed |= _refresh(item, agent, cmd)
    return changed


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
        if any(_ours(e, "claude-code") for e in entries):
            if _refresh(entries, "claude-code", cmd):
                added.append(event)
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
        if any(_ours(e, "cursor") for e in entries):
            if _refresh(entries, "cursor", cmd):
                added.append(event)
        else:
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
        if any(_ours(e, "copilot") for e in entries):
            if _refresh(entries, "copilot", cmd):
                added.append(event)
        else:
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
