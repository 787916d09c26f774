"""Install and uninstall the hook shims and the notes configuration, exactly.

A shim is a few lines of ``sh`` carrying a marker. A hook that is not ours is
never lost: it is moved aside to ``<hook>.genguard-chained`` and the shim runs it
first (its exit status respected); uninstalling puts it back. Reinstalling only
rewrites our own shims. The shim execs the interpreter that installed it, with
that interpreter's import path baked in (``-I -S``: no site processing and no
working-tree modules, which keeps start-up short and the repository from
shadowing genguard's imports), and falls back to ``genguard hook`` on PATH.

Configuration, set once per repository and removed value by value:

- ``notes.rewriteRef = refs/notes/genguard`` so amend and rebase copy notes;
- on remote ``origin``: fetch ``+refs/notes/genguard:refs/notes/remotes/origin/genguard``
  (a remote-tracking ref: local notes are never overwritten by a fetch) and push
  ``refs/notes/genguard:refs/notes/genguard`` (not forced). When ``origin`` had no
  push refspec, ``HEAD`` is added too so a plain ``git push`` still pushes the
  current branch.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from genguard.fileio import write_atomic
from genguard.gitio.run import Git, config_add, config_get_all, config_remove, hooks_dir, remotes
from genguard.hooks import HOOK_NAMES
from genguard.hooks.standby import SERVED as STANDBY_SERVED
from genguard.notes.format import NOTES_REF

MARKER = "genguard-hook-shim"
SHIM_VERSION = 3
CHAINED_SUFFIX = ".genguard-chained"
REMOTE = "origin"
PUSH_HEAD_FLAG = "genguard.pushHeadAdded"


def fetch_refspec(remote: str) -> str:
    return f"+{NOTES_REF}:refs/notes/remotes/{remote}/genguard"


PUSH_REFSPEC = f"{NOTES_REF}:{NOTES_REF}"

_HEADER = """#!/bin/sh
# {marker} v{version}: installed by `genguard install-hooks`.
# `genguard install-hooks --uninstall` removes it and restores any hook it displaced.
hook={hook}
chained="$(dirname -- "$0")/$hook{suffix}"
PY={python}
"""

# git runs hooks at the top of the worktree; in the main worktree (no GIT_DIR, a .git
# directory without a commondir file) that .git is the common dir, which spares a
# `git rev-parse` on the commit's critical path.
_COMMON = r"""genguard_common() {
    if [ -z "$GIT_DIR" ] && [ -z "$GIT_COMMON_DIR" ] && [ -d .git ] && [ ! -f .git/commondir ]; then
        common="$PWD/.git"
    else
        common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null)
    fi
}
"""

_RUN = """genguard_python() {{
    if [ -x "$PY" ]; then
        GENGUARD_SHIM=3 GENGUARD_GIT_PID=$PPID "$PY" -I -S -c {code} "$hook" "$@"
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

# The standby the gate left for this `git commit` (genguard.hooks.standby) runs the
# hook in an already started Python. Returns 255 when there is none, it is dead, or
# it does not take the request within a second: then Python starts here as usual.
_STANDBY = r"""genguard_standby() {
    [ "${GENGUARD_STANDBY:-1}" = 0 ] && return 255
    [ -n "$common" ] || genguard_common
    gg_dir="$common/genguard/standby/$PPID"
    [ -n "$common" ] && [ -p "$gg_dir/requests" ] && [ -s "$gg_dir/pid" ] || return 255
    gg_pid=
    read -r gg_pid < "$gg_dir/pid" || [ -n "$gg_pid" ] || return 255
    kill -0 "$gg_pid" 2>/dev/null || return 255
    gg_req="$gg_dir/$$"
    for gg_arg in "$@"; do
        case "$gg_arg" in *"
"*) return 255 ;; esac
    done
    if [ "$hook" = post-rewrite ]; then
        cat > "$gg_req.stdin" || return 255
        gg_stdin="$gg_req.stdin"
    fi
    # complete before the FIFO names it: the standby reads it only then
    { echo $#; [ $# -eq 0 ] || printf '%s\n' "$@"; } > "$gg_req.req" 2>/dev/null || return 255
    # the standby bounds each hook by [hooks] timeout (its limit file); past that and a
    # second more, a standby that is stopped or wedged is ended and the hook runs here
    gg_ms=
    read -r gg_ms < "$gg_dir/limit" 2>/dev/null || [ -n "$gg_ms" ] || gg_ms=6000
    case "$gg_ms" in '' | *[!0-9]*) gg_ms=6000 ;; esac
    if [ -n "$gg_stdin" ]; then
        gg_ms=$((gg_ms + 250 * $(wc -l < "$gg_stdin")))
    fi
    gg_cap=$((gg_ms / 3))
    # fd 3 keeps the FIFO open until the answer, so a request written before the
    # standby (still warming up) opened it is not lost; read-write never blocks
    {
        printf '%s %s\n' "$$" "$hook" >&3 || return 255
        gg_n=0
        while :; do
            if [ -f "$gg_req.rc" ]; then
                [ -s "$gg_req.err" ] && cat "$gg_req.err" >&2
                gg_rc=
                read -r gg_rc < "$gg_req.rc" 2>/dev/null
                case "$gg_rc" in '' | *[!0-9]*) gg_rc=0 ;; esac
                rm -f "$gg_req.rc" "$gg_req.err" "$gg_req.claimed" "$gg_req.stdin"
                gg_stdin=
                return "$gg_rc"
            fi
            if ! kill -0 "$gg_pid" 2>/dev/null; then
                [ -f "$gg_req.rc" ] && continue
                rm -f "$gg_req.req" "$gg_req.claimed" "$gg_req.err"
                return 255
            fi
            gg_n=$((gg_n + 1))
            if [ $gg_n -ge 300 ] && mv "$gg_req.req" "$gg_req.withdrawn" 2>/dev/null; then
                rm -f "$gg_req.withdrawn"
                return 255
            fi
            if [ $gg_n -ge $gg_cap ]; then
                kill -9 "$gg_pid" 2>/dev/null
                rm -f "$gg_req.claimed" "$gg_req.err"
                echo "genguard: the standby did not finish the $hook hook in time;" \
                    "running it here" >&2
                return 255
            fi
            sleep 0.003 2>/dev/null || sleep 1
        done
    } 3<>"$gg_dir/requests" || return 255
}

genguard_hook() {
    gg_stdin=
    genguard_standby "$@"
    gg_status=$?
    [ $gg_status -ne 255 ] && return $gg_status
    if [ -n "$gg_stdin" ] && [ -f "$gg_stdin" ]; then
        genguard_python "$@" < "$gg_stdin"
        gg_status=$?
        rm -f "$gg_stdin"
        return $gg_status
    fi
    genguard_python "$@"
}
"""

_BLOCKING_BODY = """if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
genguard_hook "$@"
"""

# pre-commit leaves no-trailers.<git pid> when the commit has no AI lines: then
# there is nothing to add and Python need not start.
_TRAILER_BODY = """if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
genguard_common
hint="$common/genguard/no-trailers.$PPID"
if [ -f "$hint" ]; then
    fresh=$(find "$hint" -mmin -30 2>/dev/null)
    rm -f "$hint"
    [ -n "$fresh" ] && exit 0
fi
genguard_hook "$@"
"""

_AFTER_BODY = """status=0
if [ -x "$chained" ]; then
    "$chained" "$@" || status=$?
fi
genguard_hook "$@"
exit $status
"""

_REWRITE_BODY = """status=0
if [ -x "$chained" ]; then
    pairs=$(mktemp "${TMPDIR:-/tmp}/genguard-rewrite.XXXXXX") || exit 0
    cat > "$pairs"
    "$chained" "$@" < "$pairs" || status=$?
    genguard_hook "$@" < "$pairs"
    rm -f "$pairs"
else
    genguard_hook "$@"
fi
exit $status
"""

# commit-msg needs no Python: refuse a message that holds nothing but Assisted-by
# trailers (prepare-commit-msg put them into an empty editor message), as git
# refuses an empty message or an unedited template.
_COMMIT_MSG_BODY = r"""if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi
msg="$1"
grep -q '^Assisted-by: ' "$msg" 2>/dev/null || exit 0
strip() {
    sed '/^. -\{24\} >8 -\{24\}$/,$d' | git stripspace --strip-comments |
        grep -v '^Assisted-by: ' | tr -d ' \t\n\r'
}
body=$(strip < "$msg")
if [ -z "$body" ]; then
    echo "Aborting commit due to empty commit message" \
        "(genguard's Assisted-by trailers alone are not a message)." >&2
    exit 1
fi
tmpl=$(git config --path commit.template 2>/dev/null)
if [ -n "$tmpl" ] && [ -r "$tmpl" ] && [ "$(strip < "$tmpl")" = "$body" ]; then
    echo "Aborting commit; you did not edit the message." >&2
    exit 1
fi
exit 0
"""


def _python_code() -> str:
    """The ``-c`` program: the installing interpreter's path, then the hook runner."""
    cwd = os.getcwd()
    paths = [p for p in sys.path if p and p != cwd and os.path.isdir(p)]
    return (
        f"import sys; sys.path[:0] = {json.dumps(paths)}; "
        "from genguard.hooks.boot import main; main()"
    )


def shim_text(hook: str, python: str | None = None) -> str:
    """The shell shim for ``hook``."""
    header = _HEADER.format(
        marker=MARKER,
        version=SHIM_VERSION,
        hook=hook,
        suffix=CHAINED_SUFFIX,
        python=shlex.quote(python or sys.executable),
    )
    if hook == "commit-msg":
        return header + _COMMIT_MSG_BODY
    run = _COMMON + _RUN.format(code=shlex.quote(_python_code()))
    if hook in STANDBY_SERVED:
        run += _STANDBY
    else:
        run += 'genguard_hook() {\n    genguard_python "$@"\n}\n'
    if hook == "pre-commit":
        body = _BLOCKING_BODY
    elif hook == "prepare-commit-msg":
        body = _TRAILER_BODY
    elif hook == "post-rewrite":
        body = _REWRITE_BODY
    else:
        body = _AFTER_BODY
    return header + run + body


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
    if not remote_config or REMOTE not in remotes(git):
        return
    if config_add(git, f"remote.{REMOTE}.fetch", fetch_refspec(REMOTE)):
        report.config.append(f"remote.{REMOTE}.fetch += {fetch_refspec(REMOTE)}")
    pushes = config_get_all(git, f"remote.{REMOTE}.push")
    if PUSH_REFSPEC not in pushes:
        if not pushes:
            config_add(git, f"remote.{REMOTE}.push", "HEAD")
            git.run("config", "--local", PUSH_HEAD_FLAG, "true")
            report.config.append(
                f"remote.{REMOTE}.push += HEAD (so `git push` still pushes the branch)"
            )
        config_add(git, f"remote.{REMOTE}.push", PUSH_REFSPEC)
        report.config.append(f"remote.{REMOTE}.push += {PUSH_REFSPEC}")


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
    for remote in remotes(git):
        if config_remove(git, f"remote.{remote}.fetch", fetch_refspec(remote)):
            report.config.append(f"remote.{remote}.fetch -= {fetch_refspec(remote)}")
        if config_remove(git, f"remote.{remote}.push", PUSH_REFSPEC):
            report.config.append(f"remote.{remote}.push -= {PUSH_REFSPEC}")
    if config_get_all(git, PUSH_HEAD_FLAG) == ["true"]:
        pushes = config_get_all(git, f"remote.{REMOTE}.push")
        if pushes == ["HEAD"]:
            config_remove(git, f"remote.{REMOTE}.push", "HEAD")
            report.config.append(f"remote.{REMOTE}.push -= HEAD")
        git.run("config", "--local", "--unset", PUSH_HEAD_FLAG, check=False)
    return report
