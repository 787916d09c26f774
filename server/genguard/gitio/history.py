"""What the report, evidence and export commands ask git about a history.

Unlike the editor's helpers in :mod:`genguard.gitio.repo`, which answer None so
the language server keeps going without git, a report asked about a revision
range or a file must say what git objected to: these raise
:class:`~genguard.gitio.run.GitError`. They clear git's hook environment (the
repository is the one the user named) and allow the time a whole history takes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from subprocess import CompletedProcess

from genguard.gitio.run import Git, GitError
from genguard.gitio.run import read_blobs as _read_blobs

#: Reports walk whole histories; allow more time than the editor's helpers do.
REPORT_TIMEOUT = 120.0

__all__ = [
    "REPORT_TIMEOUT",
    "GitError",
    "added_lines_by_file",
    "commit_authors",
    "git_at",
    "git_text",
    "has_commits",
    "note_texts",
    "read_blobs",
    "resolve_repo",
    "rev_list",
    "run_git",
]


def git_at(repo: Path) -> Git:
    """git for a report on ``repo``: hook environment cleared, a history's timeout."""
    return Git(Path(repo), timeout=REPORT_TIMEOUT, hook_env=False)


def run_git(
    repo: Path, *args: str, input: bytes | None = None, check: bool = True
) -> CompletedProcess[bytes]:
    """Run ``git args`` in ``repo`` (see :func:`git_at`); GitError when ``check`` and it fails."""
    return git_at(repo).run(*args, input=input, check=check)


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
    return _read_blobs(git_at(repo), specs)


def resolve_repo(path: Path | str = ".") -> Path:
    """Top level of the working tree at ``path``; GitError naming the path when there is none."""
    p = Path(path).expanduser().absolute()
    probe = p if p.is_dir() else p.parent
    while not probe.is_dir():
        if probe.parent == probe:
            break
        probe = probe.parent
    try:
        top = git_at(probe).text("rev-parse", "--show-toplevel")
    except GitError as exc:
        if exc.kind in ("dubious-ownership", "no-git", "timeout"):
            raise
        raise GitError(f"{p} is not inside a git repository", "no-repository") from exc
    return Path(top).resolve()


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
