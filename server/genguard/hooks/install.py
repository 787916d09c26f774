"""Install and uninstall the hook shims and the notes configuration, exactly.

A shim is a few lines of ``sh`` carrying a marker. A hook that is not ours is
never lost: it is moved aside to ``<hook>.genguard-chained`` and the shim runs it
first (its exit status respected); uninstalling puts it back. Reinstalling only
rewrites our own shims. The shim execs the interpreter that installed it, with
that interpreter's import path baked in (``-I -S``: no site processing and no
working-tree modules, which keeps start-up short and the repository from
shadowing genguard's imports), and falls back to ``genguard hook`` on PATH.

Configuration, set once per repository and removed value by value:
``notes.rewriteRef = refs/notes/genguard`` so amend and rebase copy notes, and the
refspecs that make plain ``git fetch``/``git push`` carry the notes
(:func:`genguard.gitio.notesync.share_notes`).
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
from genguard.hooks.trailers import COMMIT_MSG_CHECK
from genguard.notes.format import NOTES_REF

MARKER = "genguard-hook-shim"
SHIM_VERSION = 5
CHAINED_SUFFIX = ".genguard-chained"
_HEADER = """#!/bin/sh
# {marker} v{version}: installed by `genguard install-hooks`.
# `genguard install-hooks --uninstall` removes it and restores any hook it displaced.
hook={hook}
case $0 in */*) chained="${{0%/*}}/$hook{suffix}" ;; *) chained="./$hook{suffix}" ;; esac
PY={python}
"""

_RUN = """genguard_python() {{
    if [ -x "$PY" ]; then
        "$PY" -I -S -c {code} "$hook" "$@"
        return $?
    fi
    if command -v genguard >/dev/null 2>&1; then
        genguard hook "$hook" "$@"
        return $?
    fi
    echo "genguard: $PY is gone and genguard is not on PATH; the $hook hook did nothing" \\
        "(run 'genguard install-hooks' again)" >&2
    return 0
}}
"""

# Whether this commit can hold AI lines, decided without Python. It cannot when no
# staged path (old and new names) is one the ledger's index lists in live-files
# (genguard.ledger.index), and no merge, squash, cherry-pick, revert, rebase or
# --amend is under way (those bring lines from other commits). Anything it cannot
# tell (no index yet, a path git quotes, no /proc to see --amend) means "maybe".
# git runs hooks at the top of the worktree; in the main worktree (no GIT_DIR, a .git
# directory without a commondir file) .git is both dirs, which spares a rev-parse.
_QUIET = r"""genguard_quiet() {
    [ "${GENGUARD_QUICK:-1}" = 0 ] && return 1
    if [ -z "$GIT_DIR" ] && [ -z "$GIT_COMMON_DIR" ] && [ -d .git ] && [ ! -f .git/commondir ]; then
        gg_git="$PWD/.git"
        gg_state="$gg_git/genguard"
    else
        gg_dirs=$(git rev-parse --path-format=absolute --git-dir --git-common-dir) || return 1
        gg_git=${gg_dirs%%"
"*}
        gg_state="${gg_dirs#*"
"}/genguard"
    fi
    gg_live="$gg_state/live-files"
    if [ ! -f "$gg_live" ]; then
        [ -e "$gg_state/ledger.jsonl" ] && return 1
    fi
    for gg_f in MERGE_HEAD SQUASH_MSG CHERRY_PICK_HEAD REVERT_HEAD rebase-merge rebase-apply; do
        [ -e "$gg_git/$gg_f" ] && return 1
    done
    gg_comm=
    read -r gg_comm < "/proc/$PPID/comm" 2>/dev/null
    [ "$gg_comm" = git ] || return 1
    grep -qxzF -e --amend "/proc/$PPID/cmdline"
    [ $? = 1 ] || return 1
    [ -s "$gg_live" ] || return 0
    gg_staged=$(git -c core.quotePath=false diff --cached --name-only --no-renames) || return 1
    [ -n "$gg_staged" ] || return 0
    # a staged path the index lists, or its "*" (a file it could not list): maybe
    printf '%s\n*\n' "$gg_staged" | grep -Fqx -f "$gg_live" && return 1
    return 0
}
"""

# pre-commit on a commit that cannot hold AI lines: the gate has nothing to check.
# Its verdict ("pass", from this git process) is left for post-commit, which tells a
# gated commit from a --no-verify one by it (genguard.hooks.pending).
_PRE_COMMIT_BODY = """if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
if genguard_quiet && gg_tree=$(git write-tree) && [ -n "$gg_tree" ]; then
    gg_dir="$gg_state/verdicts"
    gg_tmp="$gg_dir/.$gg_tree.$$"
    if (umask 077 && { [ -d "$gg_dir" ] || mkdir -p "$gg_dir"; } && [ ! -L "$gg_dir" ] &&
        printf '{"git_pid": %s, "verdict": "pass", "quick": true, %s}\\n' "$PPID" \\
            '"findings": [], "tools": []' > "$gg_tmp" && mv -f "$gg_tmp" "$gg_dir/$gg_tree"); then
        exit 0
    fi
    rm -f "$gg_tmp"
fi
genguard_python "$@"
"""

# prepare-commit-msg: no AI lines, no trailers to add.
_TRAILER_BODY = """if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
genguard_quiet && exit 0
genguard_python "$@"
"""

_AFTER_BODY = """status=0
if [ -x "$chained" ]; then
    "$chained" "$@" || status=$?
fi
genguard_python "$@"
exit $status
"""

_REWRITE_BODY = """status=0
if [ -x "$chained" ]; then
    pairs=$(mktemp "${TMPDIR:-/tmp}/genguard-rewrite.XXXXXX") || exit 0
    cat > "$pairs"
    "$chained" "$@" < "$pairs" || status=$?
    genguard_python "$@" < "$pairs"
    rm -f "$pairs"
else
    genguard_python "$@"
fi
exit $status
"""

_COMMIT_MSG_BODY = """if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
"""


def _python_code() -> str:
    """The ``-c`` program: the installing interpreter's path, then the hook runner."""
    cwd = os.getcwd()
    paths = [p for p in sys.path if p and p != cwd and os.path.isdir(p)]
    return (
        f"import sys; sys.path[:0] = {json.dumps(paths)}; "
        "from genguard.hooks.runner import shim_main; shim_main()"
    )


_BODIES = {
    "pre-commit": _PRE_COMMIT_BODY,
    "prepare-commit-msg": _TRAILER_BODY,
    "post-rewrite": _REWRITE_BODY,
}


def shim_text(hook: str, python: str | None = None) -> str:
    """The shell shim for ``hook``."""
    header = _HEADER.format(
        marker=MARKER,
        version=SHIM_VERSION,
        hook=hook,
        suffix=CHAINED_SUFFIX,
        python=shlex.quote(python or sys.executable),
    )
    if hook == "commit-msg":  # no Python: the check is sh (genguard.hooks.trailers)
        return header + _COMMIT_MSG_BODY + COMMIT_MSG_CHECK
    run = _RUN.format(code=shlex.quote(_python_code()))
    if hook in ("pre-commit", "prepare-commit-msg"):
        run += _QUIET
    return header + run + _BODIES.get(hook, _AFTER_BODY)


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


def _write_executable(path: Path, text: str) -> None:
    write_atomic(path, text, executable=True)


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
            _write_executable(path, shim_text(name, python))
            report.installed.append(name)
    _configure(git, report, remote_config)
    return report


def _configure(git: Git, report: InstallReport, remote_config: bool) -> None:
    if config_add(git, "notes.rewriteRef", NOTES_REF):
        report.config.append(f"notes.rewriteRef = {NOTES_REF}")
    if remote_config:
        report.config.extend(share_notes(git))


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
