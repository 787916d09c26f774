"""``prepare-commit-msg``: one ``Assisted-by:`` trailer per AI tool and model.

``Assisted-by: <tool>:<model>`` (``<tool>`` alone when the model is unknown;
inferred chunks say ``unknown``), as the Linux kernel and Fedora ask for. This
module decides which; the shim (``shim.sh``, ``genguard_add_trailers``) writes them
into the message, by ``git interpret-trailers --if-exists addIfDifferent``, so
existing trailers, comments, the scissors line of ``commit -v`` and a template
stay where they are; the result is checked to still hold every line of the
user's message before it replaces the file. An editor message that is still
empty gets the trailers below a blank subject line, and the ``commit-msg`` shim
refuses a message that holds nothing but them, as git refuses an empty one. The gate
leaves a plain commit's values in its verdict (:func:`verdict_values`) for the shim.
Nothing is added during rebase, cherry-pick or revert: those keep the original
commit's message, trailers included. The exception is the commit a ``rebase -i``
``fixup`` or ``squash`` makes: git keeps only the first commit's message (fixup)
or buries the others' trailers mid-message (squash), while the note post-rewrite
writes holds every folded commit's AI lines. That commit gets the trailers of the
AI lines it holds, found as post-rewrite finds them (the folded commits' notes,
located again by line hash), so its message agrees with its note. git runs
``prepare-commit-msg`` for it, before the commit exists: the message is right the
first time, and nothing has to amend a commit after the rebase made it.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from genguard.gitio.notes import read_note
from genguard.gitio.process import git_process
from genguard.gitio.repo import rebase_folds
from genguard.gitio.run import commit_info
from genguard.hooks import pending
from genguard.hooks.context import HookContext
from genguard.hooks.gate import staged_attribution
from genguard.notes.format import NoteError

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


def add_trailers(ctx: HookContext, path: Path, values: Sequence[str], source: str | None) -> None:
    """Add ``Assisted-by`` trailers to the message file through the shim's
    ``genguard_add_trailers`` (``source``: git's source of the message)."""
    from genguard.hooks.install import shim_text

    text = shim_text("genguard-trailers")
    subprocess.run(
        ["sh", "-c", text, "genguard-trailers", str(path), source or "", *values],
        cwd=ctx.root,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def guard(ctx: HookContext, args: Sequence[str]) -> int:
    """``commit-msg`` for hook managers: the installed shim's own check (``shim.sh``)."""
    from genguard.hooks.install import shim_text

    if not args:
        return 0
    text = shim_text("commit-msg")
    proc = subprocess.run(["sh", "-c", text, "commit-msg", args[0]], cwd=ctx.root, check=False)
    return proc.returncode


def run(ctx: HookContext, args: Sequence[str]) -> int:
    if not args:
        return 0
    msg_file = Path(args[0])
    if not msg_file.is_absolute():
        msg_file = ctx.root / msg_file
    source = args[1] if len(args) > 1 else None
    sha = args[2] if len(args) > 2 else None
    operation = ctx.operation()
    if operation in ("rebase", "cherry-pick", "revert"):
        folds = rebase_folds(ctx.paths.git_dir) if operation == "rebase" else []
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
    entry = pending.find_by_pid(ctx.state_dir, proc.pid) if proc else None
    if entry is not None and "tools" in entry:
        tools = [tuple(t) for t in entry.get("tools", [])]
    else:
        attribution, _ = staged_attribution(ctx, amend=amend)
        tools = attribution.tools()
    if amend and head is not None:
        try:
            note = read_note(ctx.root, head.sha)
        except NoteError:
            note = None
        if note is not None:
            tools = [*tools, *((t["tool"], t.get("model"), t.get("lines", 0)) for t in note.tools)]
    values = trailer_values(tools)
    if not values:
        return 0
    add_trailers(ctx, msg_file, values, source)
    return 0
