"""``prepare-commit-msg``: one ``Assisted-by:`` trailer per AI tool and model.

``Assisted-by: <tool>:<model>`` (``<tool>`` alone when the model is unknown;
inferred chunks say ``unknown``), as the Linux kernel and Fedora ask for. This
module decides which; the shim (``shim.sh``, ``genguard_add_trailers``) writes them,
keeping the user's message, and for a plain commit takes them from the gate's
verdict (:func:`verdict_values`) without Python. Rebase, cherry-pick and revert keep
the original message, trailers included, except the commit a ``rebase -i`` fixup or
squash makes: git keeps only the first message, while the note post-rewrite writes
holds every folded commit's AI lines, so it gets the trailers of the lines it holds,
found as post-rewrite finds them, before the commit exists.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from genguard.gitio.notes import readable_notes
from genguard.gitio.process import git_process
from genguard.gitio.repo import operation, rebase_folds
from genguard.gitio.run import commit_info, write_tree
from genguard.hooks import pending
from genguard.hooks.context import HookContext
from genguard.hooks.gate import staged_attribution

TRAILER = "Assisted-by"
_UNSAFE = re.compile(r"[\s:]+")
_SPACES = re.compile(r"\s+")
#: Values the shim can take from a verdict as words: no spaces, quotes or globs.
_WORD = re.compile(r"[\w.:+/@=~-]+", re.ASCII)


def trailer_value(tool: str, model: str | None) -> str:
    """``tool:model`` with characters that would break the trailer replaced."""
    t = _UNSAFE.sub("-", tool.strip()).strip("-") or "unknown"
    if not model or not model.strip():
        return t
    return f"{t}:{_SPACES.sub('-', model.strip())}"


def trailer_values(tools: Iterable[Sequence]) -> list[str]:
    return sorted({trailer_value(str(t[0]), t[1]) for t in tools})


def verdict_values(tools: Iterable[Sequence]) -> str | None:
    """The trailer values as the gate's verdict hands them to the shim, separated by
    spaces; None when one of them is not a plain word (Python adds those)."""
    values = trailer_values(tools)
    return " ".join(values) if all(_WORD.fullmatch(v) for v in values) else None


def _shim(ctx: HookContext, hook: str, *args: str) -> int:
    """Run the shim's ``sh`` for ``hook`` (``shim.sh``): its text is the one place a
    message gets trailers and commit-msg's check is made."""
    from genguard.hooks.install import shim_text

    return subprocess.run(
        ["sh", "-c", shim_text(hook), hook, *args], cwd=ctx.root, stdin=subprocess.DEVNULL
    ).returncode


def add_trailers(ctx: HookContext, path: Path, values: Sequence[str], source: str | None) -> None:
    """Add ``Assisted-by`` trailers to the message file (``source``: git's source of it)."""
    _shim(ctx, "genguard-trailers", str(path), source or "", *values)


def guard(ctx: HookContext, args: Sequence[str], *_: object) -> int:
    """``commit-msg`` for hook managers: the installed shim's own check."""
    return _shim(ctx, "commit-msg", args[0]) if args else 0


def run(ctx: HookContext, args: Sequence[str], *_: object) -> int:
    if not args:
        return 0
    msg_file = ctx.root / args[0]  # (an absolute path stays itself)
    source = args[1] if len(args) > 1 else None
    sha = args[2] if len(args) > 2 else None
    state = operation(ctx.paths.git_dir)
    if state in ("rebase", "cherry-pick", "revert"):
        folds = rebase_folds(ctx.paths.git_dir) if state == "rebase" else []
        if folds:  # HEAD amended with the fixups: its AI lines as post-rewrite will see them
            attribution, _ = staged_attribution(ctx, amend=True, sources=folds)
            values = trailer_values(attribution.tools())
            if values:
                add_trailers(ctx, msg_file, values, "message")
        return 0
    proc = git_process()
    head = commit_info(ctx.git, "HEAD")
    amend = bool(proc and proc.amending) or (
        source == "commit" and head is not None and sha == head.sha and proc is None
    )
    # the gate of this git commit left its verdict for the tree being committed
    entry = pending.read(ctx.state_dir, write_tree(ctx.git)) if proc else None
    if entry is not None and entry.get("git_pid") == proc.pid and "tools" in entry:
        tools = [tuple(t) for t in entry["tools"]]
    else:
        tools = staged_attribution(ctx, amend=amend)[0].tools()
    if amend and head is not None:  # HEAD's AI lines stay in the amended commit
        for _, note in readable_notes(ctx.root, [head.sha]):
            tools += [(t["tool"], t.get("model")) for t in note.tools]
    values = trailer_values(tools)
    if values:
        add_trailers(ctx, msg_file, values, source)
    return 0
