"""Running git for the hooks and the commands that change a repository.

:mod:`genguard.gitio.repo` answers read-only questions for the editor and strips
``GIT_DIR``/``GIT_INDEX_FILE`` from the environment. Here the environment is kept
as git gave it: inside a hook ``GIT_INDEX_FILE`` names the temporary index of
``git commit -a`` or ``--amend``, and that index is what is being committed.
Every call is bounded by a timeout, so a wedged git cannot hang a hook.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Seconds before one git call is abandoned.
GIT_TIMEOUT = 10.0


class GitError(RuntimeError):
    """A git command failed; the message carries git's own explanation."""


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@dataclass(slots=True)
class Git:
    """git in one working directory, with the caller's environment."""

    cwd: Path
    timeout: float = GIT_TIMEOUT
    env: Mapping[str, str] | None = None

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        check: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git args``; raises GitError on failure when ``check``."""
        full_env = dict(os.environ if self.env is None else self.env)
        full_env["GIT_TERMINAL_PROMPT"] = "0"
        if env:
            full_env.update(env)
        try:
            proc = subprocess.run(
                ["git", "-c", "core.quotepath=false", *args],
                cwd=self.cwd,
                input=input,
                stdin=None if input is not None else subprocess.DEVNULL,
                capture_output=True,
                env=full_env,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise GitError(f"git {args[0]} did not answer within {self.timeout:g} s") from exc
        except OSError as exc:
            raise GitError(f"cannot run git: {exc}") from exc
        if check and proc.returncode != 0:
            detail = _decode(proc.stderr).strip() or f"exit status {proc.returncode}"
            raise GitError(f"git {' '.join(args[:2])} failed: {detail}")
        return proc

    def text(self, *args: str, input: bytes | None = None) -> str:
        """Stdout of a successful call, without the final newline."""
        return _decode(self.run(*args, input=input).stdout).rstrip("\n")

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0


@dataclass(frozen=True, slots=True)
class RepoPaths:
    """Where a working tree and its git directories are (absolute)."""

    top: Path
    git_dir: Path  # per-worktree: HEAD, index, rebase state
    common_dir: Path  # shared by all worktrees: objects, refs, config, genguard's data

    @property
    def genguard_dir(self) -> Path:
        return self.common_dir / "genguard"


def repo_paths(git: Git) -> RepoPaths:
    """One ``rev-parse`` for the three paths every hook needs (git >= 2.31)."""
    out = git.text(
        "rev-parse",
        "--path-format=absolute",
        "--show-toplevel",
        "--git-dir",
        "--git-common-dir",
    ).split("\n")
    if len(out) != 3:
        raise GitError("not inside a git working tree")
    top, git_dir, common = (Path(p) for p in out)
    return RepoPaths(top=top, git_dir=git_dir, common_dir=common)


def hooks_dir(git: Git) -> Path:
    """The directory git runs hooks from (honours ``core.hooksPath`` and worktrees)."""
    return Path(git.text("rev-parse", "--path-format=absolute", "--git-path", "hooks"))


def read_blobs(git: Git, specs: Iterable[str]) -> dict[str, bytes | None]:
    """Contents of ``rev:path`` / ``:path`` specs in one ``cat-file --batch``; None if missing."""
    wanted = [s for s in dict.fromkeys(specs) if "\n" not in s]
    if not wanted:
        return {}
    out = git.run("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode()).stdout
    result: dict[str, bytes | None] = {}
    pos = 0
    for spec in wanted:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            result[spec] = out[pos : pos + size] if header[1] == b"blob" else None
            pos += size + 1
        else:  # "<spec> missing" / "ambiguous"
            result[spec] = None
    return result


@dataclass(frozen=True, slots=True)
class CommitInfo:
    sha: str
    tree: str
    parents: tuple[str, ...]
    author_email: str | None
    committer_email: str | None
    message: str = field(repr=False)


def _email(ident: str) -> str | None:
    lt, gt = ident.find("<"), ident.find(">")
    return ident[lt + 1 : gt] if 0 <= lt < gt else None


def commit_info(git: Git, rev: str = "HEAD") -> CommitInfo | None:
    """Tree, parents and identities of ``rev`` in one git call; None if it does not exist."""
    out = git.run("cat-file", "--batch", input=f"{rev}^{{commit}}\n".encode()).stdout
    nl = out.find(b"\n")
    header = out[:nl].split()
    if len(header) != 3 or header[1] != b"commit":
        return None
    body = _decode(out[nl + 1 : nl + 1 + int(header[2])])
    head, _, message = body.partition("\n\n")
    tree = ""
    parents: list[str] = []
    author = committer = None
    for line in head.split("\n"):
        key, _, value = line.partition(" ")
        if key == "tree":
            tree = value
        elif key == "parent":
            parents.append(value)
        elif key == "author":
            author = _email(value)
        elif key == "committer":
            committer = _email(value)
    return CommitInfo(_decode(header[0]), tree, tuple(parents), author, committer, message)


def write_tree(git: Git) -> str:
    """The tree id of the index being committed (``GIT_INDEX_FILE`` honoured)."""
    return git.text("write-tree")


def empty_tree(git: Git) -> str:
    """The empty tree's id in this repository's hash function."""
    return git.text("hash-object", "-t", "tree", "--stdin", input=b"")


def config_get_all(git: Git, key: str) -> list[str]:
    proc = git.run("config", "--get-all", key, check=False)
    return _decode(proc.stdout).splitlines() if proc.returncode == 0 else []


def config_add(git: Git, key: str, value: str) -> bool:
    """Add ``value`` to ``key`` in the repository config unless present; True if added."""
    if value in config_get_all(git, key):
        return False
    git.run("config", "--local", "--add", key, value)
    return True


def config_remove(git: Git, key: str, value: str) -> bool:
    """Remove exactly ``value`` from ``key`` in the repository config; True if it was there."""
    if value not in config_get_all(git, key):
        return False
    git.run("config", "--local", "--fixed-value", "--unset-all", key, value, check=False)
    return True


def remotes(git: Git) -> list[str]:
    return git.text("remote").split()


def ref_exists(git: Git, ref: str) -> bool:
    return git.ok("rev-parse", "--verify", "--quiet", ref)


def is_ancestor(git: Git, a: str, b: str) -> bool:
    return git.ok("merge-base", "--is-ancestor", a, b)


def path_specs(rev: str | None, paths: Sequence[str]) -> list[str]:
    """``rev:path`` specs (``:path`` for the index when ``rev`` is None)."""
    prefix = "" if rev is None else rev
    return [f"{prefix}:{p}" for p in paths]
