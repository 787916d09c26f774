"""Install and uninstall the hook shims and the notes configuration, exactly.

A shim is ``shim.sh`` with the hook's name and interpreter filled in, carrying a
marker. A hook that is not ours is never lost: it is moved aside to
``<hook>.genguard-chained``, the shim runs it first, and uninstalling puts it back;
reinstalling rewrites only our own shims. The shim runs the interpreter that
installed it with that interpreter's import path baked in (``-I -S``: no site
processing, no working-tree modules to shadow genguard's), else ``genguard hook``.
Configuration, removed value by value: ``notes.rewriteRef = refs/notes/genguard``
(amend and rebase copy notes) and the refspecs that make ``git fetch``/``git push``
carry the notes (:func:`genguard.gitio.notesync.share_notes`).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from genguard.fileio import write_atomic
from genguard.gitio.notesync import share_notes, unshare_notes
from genguard.gitio.run import Git, config_add, config_remove, hooks_dir
from genguard.hooks import HOOK_NAMES
from genguard.notes.format import NOTES_REF

MARKER, SHIM_VERSION, CHAINED_SUFFIX = "genguard-hook-shim", 8, ".genguard-chained"
#: The one shim every hook gets (``sh``): chaining, the no-AI shortcut, commit-msg's check.
SHIM = Path(__file__).with_name("shim.sh")


def _python_code() -> str:
    """The ``-c`` program: the installing interpreter's path, then the hook runner. The
    cyclic garbage collector starts off: imports are most of a hook's time and leave
    nothing to collect (``shim_main`` turns it back on for the hook's work)."""
    cwd = os.getcwd()
    paths = [p for p in sys.path if p and p != cwd and os.path.isdir(p)]
    return (
        f"import gc, sys; gc.disable(); sys.path[:0] = {json.dumps(paths)}; "
        "from genguard.hooks.runner import shim_main; shim_main()"
    )


def shim_text(hook: str, python: str | None = None) -> str:
    """The shell shim for ``hook``: :data:`SHIM` with the hook and interpreter filled in."""
    values = {
        "@VERSION@": str(SHIM_VERSION),
        "@HOOK@": hook,
        "@PYTHON@": shlex.quote(python or sys.executable),
        "@CODE@": shlex.quote(_python_code()),
    }
    text = SHIM.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(name, value, 1)
    return text


def is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return MARKER.encode() in f.read(512)
    except OSError:
        return False


@dataclass(slots=True)
class InstallReport:
    hooks_dir: Path
    installed: list[str] = field(default_factory=list)
    chained: list[str] = field(default_factory=list)  # foreign hooks kept and run first
    restored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    config: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def install_hooks(
    git: Git,
    *,
    hooks: tuple[str, ...] = HOOK_NAMES,
    python: str | None = None,
    remote_config: bool = True,
    shims: bool = True,
) -> InstallReport:
    """Install shims for ``hooks`` and the notes configuration."""
    directory = hooks_dir(git)
    report = InstallReport(directory)
    if shims:
        directory.mkdir(parents=True, exist_ok=True)
        for name in hooks:
            path = directory / name
            chained = directory / (name + CHAINED_SUFFIX)
            if (path.exists() or path.is_symlink()) and not is_ours(path):
                if chained.exists() or chained.is_symlink():
                    report.problems.append(
                        f"{name}: {path} is not genguard's and {chained.name} already exists;"
                        " move one of them away and run install-hooks again"
                    )
                    continue
                os.replace(path, chained)
                report.chained.append(name)
            elif chained.exists():
                report.chained.append(name)
            write_atomic(path, shim_text(name, python), executable=True)
            report.installed.append(name)
    if config_add(git, "notes.rewriteRef", NOTES_REF):
        report.config.append(f"notes.rewriteRef = {NOTES_REF}")
    if remote_config:
        report.config.extend(share_notes(git))
    return report


def uninstall_hooks(git: Git, *, hooks: tuple[str, ...] = HOOK_NAMES) -> InstallReport:
    """Remove our shims, restore displaced hooks, remove the values we configured."""
    directory = hooks_dir(git)
    report = InstallReport(directory)
    for name in hooks:
        path = directory / name
        chained = directory / (name + CHAINED_SUFFIX)
        if path.exists() and is_ours(path):
            path.unlink()
            report.removed.append(name)
        elif path.exists() or path.is_symlink():
            if chained.exists():
                report.problems.append(
                    f"{name}: {path} is not genguard's; {chained.name} was left in place"
                )
            continue
        if chained.exists() or chained.is_symlink():
            os.replace(chained, path)
            report.restored.append(name)
    if config_remove(git, "notes.rewriteRef", NOTES_REF):
        report.config.append(f"notes.rewriteRef -= {NOTES_REF}")
    report.config.extend(unshare_notes(git))
    return report
