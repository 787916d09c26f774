"""The one way genguard runs git: :func:`run_git`, one :class:`GitError`.

Every git process genguard starts goes through here, bounded by a timeout (a
wedged git must not hang a hook or the editor), with no terminal prompt and
paths printed unquoted.

**Git's hook environment.** Git runs hooks (and ``rebase -x``, ``bisect run``)
with variables that redirect any git started beneath them: ``GIT_INDEX_FILE``,
``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_COMMON_DIR``, ``GIT_PREFIX`` and
``GIT_OBJECT_DIRECTORY``. Each call says whether to keep them or clear them:

- ``hook_env=True`` (keep) for what runs *as part of* a git command: the commit
  hooks, ``genguard scan --staged``, ``genguard record`` from an
  agent hook, and note reads and writes. Under ``git commit -a`` or
  ``git commit -- PATH`` the index being committed is the temporary file named by
  ``GIT_INDEX_FILE``, and ``GIT_DIR`` names the repository the hook serves: the
  real index or a rediscovered repository would be the wrong answer.
- ``hook_env=False`` (clear) for questions about a path the user or the editor
  named: the language server, the report, evidence and export commands, the
  demo's scratch repository. Inherited from an enclosing hook (an editor started
  by ``rebase -x``, a script run from a hook), those variables would make git
  answer about another repository or another index than that path's.

Errors speak the user's language: a path outside any repository and a
repository git refuses as owned by someone else ("dubious ownership") are said
as such, not as a git command line followed by git's ``fatal:``.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

#: Seconds before one git call is abandoned (callers walking histories pass more).
GIT_TIMEOUT = 10.0

#: The variables git sets for hooks that redirect a git started beneath them.
HOOK_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_PREFIX",
    "GIT_OBJECT_DIRECTORY",
)

GitErrorKind = Literal["failed", "no-repository", "dubious-ownership", "timeout", "no-git"]

_DUBIOUS = re.compile(r"dubious ownership in repository at '([^']*)'")


class GitError(RuntimeError):
    """git failed, refused or is missing; the message is meant for the user.

    ``kind`` lets a caller tell "not a repository" and "refused as dubious
    ownership" from any other failure without reading the message.
    """

    def __init__(self, message: str, kind: GitErrorKind = "failed") -> None:
        super().__init__(message)
        self.kind: GitErrorKind = kind


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _failure(cwd: Path, args: Sequence[str], stderr: bytes, returncode: int) -> GitError:
    """The GitError for a failed call, in words a user can act on."""
    detail = stderr.decode("utf-8", "replace").strip()
    dubious = _DUBIOUS.search(detail)
    if dubious is not None:
        where = dubious.group(1) or str(cwd)
        return GitError(
            f"git refuses the repository at {where}: it belongs to another user "
            "(git's 'dubious ownership' check). If you trust it, run: "
            f"git config --global --add safe.directory {where}",
            "dubious-ownership",
        )
    if detail.startswith("fatal: not a git repository"):
        return GitError(f"{cwd} is not inside a git repository", "no-repository")
    if "must be run in a work tree" in detail:
        return GitError(f"{cwd} is not inside a git working tree", "no-repository")
    return GitError(f"git {args[0]}: {detail or f'exit status {returncode}'}")


def run_git(
    cwd: Path,
    *args: str,
    hook_env: bool,
    input: bytes | None = None,
    check: bool = True,
    timeout: float = GIT_TIMEOUT,
    literal_pathspecs: bool = False,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd``; GitError when git is missing, hangs or (``check``) fails.

    ``hook_env`` keeps or clears git's hook environment (see the module doc);
    ``env`` replaces the process environment it starts from.
    """
    full_env = dict(os.environ if env is None else env)
    if not hook_env:
        for name in HOOK_ENV:
            full_env.pop(name, None)
    full_env["GIT_TERMINAL_PROMPT"] = "0"
    cmd = ["git", "-c", "core.quotepath=false"]
    if literal_pathspecs:
        cmd.append("--literal-pathspecs")
    try:
        proc = subprocess.run(
            [*cmd, *args],
            cwd=cwd,
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            env=full_env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} did not answer within {timeout:g} s", "timeout") from exc
    except FileNotFoundError as exc:
        if not Path(cwd).is_dir():
            raise GitError(f"{cwd} is not a directory", "no-repository") from exc
        raise GitError("git is not installed (or not on PATH)", "no-git") from exc
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}", "no-git") from exc
    if check and proc.returncode != 0:
        raise _failure(Path(cwd), args, proc.stderr, proc.returncode)
    return proc


class Git:
    """git in one working directory: a :func:`run_git` with its settings bound.

    Keeps the hook environment unless told otherwise, because most holders of a
    ``Git`` are the hooks and the commands that act for them. (A plain class, as are
    the two below named tuples: every hook imports this module, and a dataclass costs
    a hook's start-up the building of its methods.)
    """

    __slots__ = ("cwd", "env", "hook_env", "literal_pathspecs", "timeout")

    def __init__(
        self,
        cwd: Path,
        timeout: float = GIT_TIMEOUT,
        env: Mapping[str, str] | None = None,
        hook_env: bool = True,
        literal_pathspecs: bool = False,
    ) -> None:
        self.cwd = cwd
        self.timeout = timeout
        self.env = env
        self.hook_env = hook_env
        self.literal_pathspecs = literal_pathspecs

    def __repr__(self) -> str:
        return f"Git({str(self.cwd)!r})"

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        check: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git args``; raises GitError on failure when ``check``.

        ``env`` adds variables to this handle's environment for one call.
        """
        base = None
        if env or self.env is not None:
            base = {**(os.environ if self.env is None else self.env), **(env or {})}
        return run_git(
            self.cwd,
            *args,
            hook_env=self.hook_env,
            input=input,
            check=check,
            timeout=self.timeout,
            literal_pathspecs=self.literal_pathspecs,
            env=base,
        )

    def text(self, *args: str, input: bytes | None = None) -> str:
        """Stdout of a successful call, without the final newline."""
        return _decode(self.run(*args, input=input).stdout).rstrip("\n")

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0


class RepoPaths(NamedTuple):
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
        raise GitError(f"{git.cwd} is not inside a git working tree", "no-repository")
    top, git_dir, common = (Path(p) for p in out)
    return RepoPaths(top=top, git_dir=git_dir, common_dir=common)


def head_and_index(paths: RepoPaths) -> tuple[object, ...] | None:
    """What HEAD and the index are, told by the files that hold them (HEAD, the ref
    it names, packed-refs, the index): read and stat, without running git. Equal
    answers mean git's blobs at HEAD and in the index are unchanged; None when
    they cannot be read (then ask git)."""
    try:
        head = (paths.git_dir / "HEAD").read_bytes()
        out: list[object] = [head]
        files = [paths.git_dir / "index", paths.common_dir / "packed-refs"]
        if head.startswith(b"ref: "):
            ref = head[5:].strip().decode("utf-8", "surrogateescape")
            files += [paths.git_dir / ref, paths.common_dir / ref]
        for f in files:
            try:
                st = f.stat()
            except FileNotFoundError:
                out.append(None)
                continue
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
    except (OSError, UnicodeError):
        return None
    return tuple(out)


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


def blob_reader(git: Git, rev: str) -> Callable[[Sequence[str]], dict[str, bytes | None]]:
    """Reads files of ``rev`` ("" for the index) by path, many in one :func:`read_blobs`."""

    def read(paths: Sequence[str]) -> dict[str, bytes | None]:
        blobs = read_blobs(git, [f"{rev}:{p}" for p in paths])
        return {p: blobs.get(f"{rev}:{p}") for p in paths}

    return read


class CommitInfo(NamedTuple):
    sha: str
    tree: str
    parents: tuple[str, ...]
    author_email: str | None
    committer_email: str | None
    message: str


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
    head, _, message = _decode(out[nl + 1 : nl + 1 + int(header[2])]).partition("\n\n")
    return parse_commit(_decode(header[0]), head, message)


def parse_commit(sha: str, head: str, message: str) -> CommitInfo:
    """A commit from its header lines (``tree``, ``parent``, ``author``, ...)."""
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
    return CommitInfo(sha, tree, tuple(parents), author, committer, message)


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
