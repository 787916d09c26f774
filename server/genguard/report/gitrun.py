"""Running git for reports: raise a clear error instead of answering None.

``gitio.repo`` answers None on any failure because the language server must keep
going without git; a report command asked about a revision range or a file
must instead say what git objected to.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

#: Reports walk whole histories; allow more time than the editor's helpers do.
REPORT_TIMEOUT = 120.0

_REPO_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_PREFIX")


class GitError(RuntimeError):
    """git refused or failed; the message carries git's own explanation."""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPO_ENV}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def run_git(
    repo: Path, *args: str, input: bytes | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``repo``; raises GitError (with git's stderr) when ``check``."""
    cmd = ["git", "-c", "core.quotepath=false", *args]
    try:
        proc = subprocess.run(
            cmd,
            cwd=repo,
            env=_env(),
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=REPORT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} did not answer within {REPORT_TIMEOUT:.0f} s") from exc
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip() or f"exit status {proc.returncode}"
        raise GitError(f"git {args[0]}: {msg}")
    return proc


def git_text(repo: Path, *args: str) -> str:
    """Stdout of ``git args`` as text (undecodable bytes kept via surrogateescape)."""
    return run_git(repo, *args).stdout.decode("utf-8", "surrogateescape")


def rev_list(repo: Path, revrange: str | None) -> list[str]:
    """Commits of ``revrange`` (default HEAD), oldest first; [] in a repository with no commits."""
    if revrange is None and not has_commits(repo):
        return []
    spec = revrange or "HEAD"
    if any(part.startswith("-") for part in spec.split()):
        raise GitError(f"bad revision range {spec!r}: options are not revisions")
    try:
        out = git_text(repo, "rev-list", "--reverse", *spec.split(), "--")
    except GitError as exc:
        raise GitError(f"bad revision range {spec!r}: {exc}") from exc
    return out.split()


def has_commits(repo: Path) -> bool:
    return (
        run_git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).returncode
        == 0
    )


def commit_authors(repo: Path, commits: Iterable[str]) -> dict[str, str]:
    """Author e-mail of each commit, in one git call."""
    shas = list(commits)
    if not shas:
        return {}
    out = run_git(
        repo,
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "--format=%H%x00%ae",
        input=("\n".join(shas) + "\n").encode(),
    ).stdout.decode("utf-8", "surrogateescape")
    authors: dict[str, str] = {}
    for line in out.splitlines():
        sha, _, email = line.partition("\0")
        if sha:
            authors[sha] = email
    return authors


def added_lines_by_file(repo: Path, commits: Iterable[str]) -> dict[str, dict[str, int]]:
    """Lines each commit adds per file (``git log --numstat``, renames followed, binaries 0)."""
    shas = list(commits)
    result: dict[str, dict[str, int]] = {sha: {} for sha in shas}
    if not shas:
        return result
    raw = run_git(
        repo,
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "-z",
        "--numstat",
        "--format=%x01%H",
        input=("\n".join(shas) + "\n").encode(),
    ).stdout.decode("utf-8", "surrogateescape")
    for block in raw.split("\x01")[1:]:
        tokens = block.split("\0")
        sha = tokens[0].strip()
        files = result.setdefault(sha, {})
        i = 1
        while i < len(tokens):
            parts = tokens[i].lstrip("\n").split("\t", 2)
            i += 1
            if len(parts) != 3:
                continue
            added, _deleted, path = parts
            if not path:  # a rename: the old and the new path follow as tokens of their own
                if i + 1 >= len(tokens):
                    break
                path = tokens[i + 1]
                i += 2
            n = int(added) if added.isdigit() else 0
            files[path] = files.get(path, 0) + n
    return result


def read_blobs(repo: Path, specs: Iterable[str]) -> dict[str, bytes | None]:
    """Contents of ``<rev>:<path>`` objects in one ``git cat-file --batch``; None if missing."""
    wanted = [s for s in dict.fromkeys(specs) if "\n" not in s]
    out: dict[str, bytes | None] = {}
    if not wanted:
        return out
    data = run_git(
        repo,
        "cat-file",
        "--batch",
        input=("\n".join(wanted) + "\n").encode("utf-8", "surrogateescape"),
    ).stdout
    pos = 0
    for spec in wanted:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].split()
        pos = nl + 1
        if len(header) == 3 and header[1] in (b"blob", b"tree", b"commit", b"tag"):
            size = int(header[2])
            out[spec] = data[pos : pos + size] if header[1] == b"blob" else None
            pos += size + 1
        else:
            out[spec] = None
    return out


def resolve_repo(path: Path | str = ".") -> Path:
    """Top level of the working tree at ``path``; GitError naming the path when there is none."""
    p = Path(path).expanduser().absolute()
    probe = p if p.is_dir() else p.parent
    while not probe.is_dir():
        if probe.parent == probe:
            break
        probe = probe.parent
    proc = run_git(probe, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        raise GitError(f"{p} is not inside a git repository")
    return Path(proc.stdout.decode("utf-8", "surrogateescape").strip()).resolve()


def note_texts(repo: Path, commits: Iterable[str], ref: str) -> dict[str, str]:
    """Raw note text of each of ``commits`` that has a note under ``ref``, in one batch read."""
    from genguard.gitio.notes import noted_commits

    noted = noted_commits(repo, ref)
    blobs = {c: noted[c] for c in commits if c in noted}
    data = read_blobs(repo, blobs.values())
    out: dict[str, str] = {}
    for commit, blob in blobs.items():
        raw = data.get(blob)
        if raw is not None:
            out[commit] = raw.decode("utf-8", "surrogateescape")
    return out
