"""What every hook needs about the repository, found once and read lazily.

Hooks are on the commit's critical path, so nothing is computed before it is
asked for: the ledger's index is read only when a hook needs chunks, ``user.email``
only when something must be attributed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from genguard.attribution.state import ChunkState
from genguard.config import ConfigProblem, Settings, load_settings
from genguard.gitio.repo import main_worktree_git_dir
from genguard.gitio.run import Git, RepoPaths, repo_paths
from genguard.ledger.index import LedgerState
from genguard.ledger.store import LEDGER_FILENAME, Ledger

#: Held while a hook writes what it leaves (verdict, note, ledger records), and by the
#: watchdog that stops it (:mod:`.runner`): one writer, never half of each.
WRITING = threading.Lock()
#: Set once the hook's own verdict or note is written: the watchdog then leaves none.
LEFT = threading.Event()
#: The exit status the hook decided on with what it left (the gate: 1, blocked): a
#: watchdog that stops it after that still exits with it (a blocked commit stays so).
DECIDED = [0]


@contextmanager
def leaving(last: bool = True, status: int = 0) -> Iterator[None]:
    """Write what the hook leaves under :data:`WRITING`; ``last``: it is all of it, and
    ``status`` the exit status it decided on."""
    with WRITING:
        yield
        if last:
            DECIDED[0] = status
            LEFT.set()


class HookContext:
    """The repository a hook runs for, its settings, and what it learns along the way
    (a plain class: a dataclass costs every hook the building of its methods)."""

    def __init__(
        self, git: Git, paths: RepoPaths, settings: Settings, problems: tuple[ConfigProblem, ...]
    ) -> None:
        self.git, self.paths, self.settings, self.problems = git, paths, settings, problems
        self.root, self.state_dir = paths.top, paths.genguard_dir
        #: The tree ``pre-commit`` found in the index (what the commit will hold).
        self.staged_tree: str | None = None
        #: ``user.email``, or an identity already known (a commit's committer).
        self.email_known: str | None = None
        self._state: LedgerState | None = None

    @classmethod
    def discover(cls, cwd: Path) -> HookContext:
        git = Git(cwd)
        if main_worktree_git_dir(cwd) is not None:  # git runs hooks at the top: no rev-parse
            top = cwd.resolve()
            paths = RepoPaths(top=top, git_dir=top / ".git", common_dir=top / ".git")
        else:
            paths = repo_paths(git)
        result = load_settings(paths.top)
        return cls(git, paths, result.settings, result.problems)

    @property
    def email(self) -> str:
        """``user.email`` as git sees it here (or "unknown")."""
        if self.email_known is None:
            proc = self.git.run("config", "user.email", check=False)
            self.email_known = proc.stdout.decode("utf-8", "replace").strip() or "unknown"
        return self.email_known

    def ledger(self) -> Ledger:
        return Ledger(self.state_dir / LEDGER_FILENAME, actor=self.email)

    def ledger_state(self) -> LedgerState:
        """Chunk state from the ledger's index, read once per hook run (never a replay
        of the whole ledger: see :mod:`genguard.ledger.index`)."""
        if self._state is None:  # (a ledger not written yet has an empty state)
            path = self.state_dir / LEDGER_FILENAME
            self._state = Ledger(path).state() if self.settings.ledger.enabled else LedgerState()
        return self._state

    def chunks(self) -> dict[str, ChunkState]:
        return self.ledger_state().chunks

    def live(self) -> dict[str, list[ChunkState]]:
        return self.ledger_state().live()

    def append(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """Append to the ledger when it is enabled; returns the record."""
        return self.ledger().append(event, data) if self.settings.ledger.enabled else None

    def warn_config(self, err: TextIO) -> None:
        """Say what is wrong with the configuration (the affected keys use defaults) and
        what the repository was refused; the refusals are recorded once in the ledger."""
        for problem in self.problems:
            if problem.severity == "error":
                err.write(f"genguard: configuration: {problem}\n")
        refused = [p for p in self.problems if p.refused]
        if refused and self.settings.ledger.enabled:
            from genguard.ledger.refusals import record_refused

            record_refused(self.append, self.state_dir, refused, self.root)
