"""``prepare-commit-msg``: one ``Assisted-by:`` trailer per AI tool and model.

``Assisted-by: <tool>:<model>`` (``<tool>`` alone when the model is unknown;
inferred chunks say ``unknown``), as the Linux kernel and Fedora ask for. The
trailers are added by ``git interpret-trailers --if-exists addIfDifferent``, so
existing trailers, comments, the scissors line of ``commit -v`` and a template
stay where they are; the result is checked to still hold every line of the
user's message before it replaces the file. An editor message that is still
empty gets the trailers below a blank subject line, and the ``commit-msg`` shim
(``shim.sh``) refuses a message that holds nothing but them, as git refuses an empty one.
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

from genguard.fileio import write_atomic
from genguard.gitio.notes import read_note
from genguard.gitio.process import git_process
from genguard.gitio.repo import rebase_folds
from genguard.gitio.run import Git, commit_info, config_get_all
from genguard.hooks import pending
from genguard.hooks.context import HookContext
from genguard.hooks.gate import staged_attribution
from genguard.notes.format import NoteError

TRAILER = "Assisted-by"
_SCISSORS_RE = re.compile(r"^\S -{24} >8 -{24}$", re.MULTILINE)
_UNSAFE = re.compile(r"[\s:]+")
_SPACES = re.compile(r"\s+")


def trailer_value(tool: str, model: str | None) -> str:
    """``tool:model`` with characters that would break the trailer replaced."""
    t = _UNSAFE.sub("-", tool.strip()).strip("-") or "unknown"
    if not model or not model.strip():
        return t
    return f"{t}:{_SPACES.sub('-', model.strip())}"


def trailer_values(tools: Iterable[Sequence]) -> list[str]:
    return sorted({trailer_value(str(t[0]), t[1]) for t in tools})


def message_is_empty(text: str, comment: str) -> bool:
    """No content besides comments, blank lines and what follows the scissors line."""
    m = _SCISSORS_RE.search(text)
    if m is not None:
        text = text[: m.start()]
    return not any(
        line.strip() and not line.lstrip().startswith(comment) for line in text.splitlines()
    )


def _in_order(original: str, result: str) -> bool:
    """Every non-blank line of ``original`` is still in ``result``, in order (trailing
    whitespace aside: git normalises a ``Key:`` line it reads as a trailer)."""
    it = iter(line.rstrip() for line in result.splitlines())
    wanted = (line.rstrip() for line in original.splitlines() if line.strip())
    return all(any(line == other for other in it) for line in wanted)


def add_trailers(git: Git, path: Path, values: Sequence[str], *, editor_flow: bool) -> bool:
    """Add ``Assisted-by`` trailers to the message file; False if it was left as is."""
    raw = path.read_bytes()
    text = raw.decode("utf-8", "surrogateescape")
    lines = "".join(f"{TRAILER}: {v}\n" for v in values)
    char = next(iter(config_get_all(git, "core.commentChar")[-1:]), "").strip()
    if message_is_empty(text, char if char not in ("", "auto") else "#"):
        if not editor_flow:
            return False  # an explicitly empty message stays empty
        new = "\n\n" + lines + ("\n" if text.strip() else "") + text.lstrip("\n")
    else:
        args = ["interpret-trailers", "--if-exists", "addIfDifferent", "--no-divider"]
        for v in values:
            args += ["--trailer", f"{TRAILER}: {v}"]
        new = git.run(*args, input=raw).stdout.decode("utf-8", "surrogateescape")
        if not _in_order(text, new):
            return False
    if new == text:
        return False
    write_atomic(path, new)
    return True


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
                add_trailers(ctx.git, msg_file, values, editor_flow=False)
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
    add_trailers(ctx.git, msg_file, values, editor_flow=source in (None, "template", "commit"))
    return 0
