"""What every hook needs about the repository, found once and read lazily.

Hooks are on the commit's critical path, so nothing is computed before it is
asked for: the ledger's index is read only when a hook needs chunks, the signing
key is looked up only when a note is about to be written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from genguard.attribution.state import ChunkState
from genguard.config import ConfigProblem, Settings, load_settings
from genguard.gitio.repo import operation
from genguard.gitio.run import Git, RepoPaths, repo_paths
from genguard.ledger.index import LedgerState
from genguard.ledger.store import LEDGER_FILENAME, Ledger


class HookContext:
    """The repository a hook runs for, its settings, and what it learns along the way
    (a plain class: a dataclass costs every hook the building of its methods)."""

    __slots__ = ("_email", "_state", "git", "paths", "problems", "settings", "staged_tree")

    def __init__(
        self,
        git: Git,
        paths: RepoPaths,
        settings: Settings,
        problems: tuple[ConfigProblem, ...] = (),
    ) -> None:
        self.git = git
        self.paths = paths
        self.settings = settings
        self.problems = problems
        #: The tree ``pre-commit`` found in the index (what the commit will hold).
        self.staged_tree: str | None = None
        self._state: LedgerState | None = None
        self._email: str | None = None

    @classmethod
    def discover(cls, cwd: Path, git: Git | None = None) -> HookContext:
        from genguard.gitio.repo import main_worktree_git_dir

        git = git or Git(cwd)
        git_dir = main_worktree_git_dir(cwd)  # git runs hooks at the top: no rev-parse
        if git_dir is not None:
            top = cwd.resolve()
            paths = RepoPaths(top=top, git_dir=top / ".git", common_dir=top / ".git")
        else:
            paths = repo_paths(git)
        result = load_settings(paths.top)
        return cls(git=git, paths=paths, settings=result.settings, problems=result.problems)

    @property
    def root(self) -> Path:
        return self.paths.top

    @property
    def state_dir(self) -> Path:
        return self.paths.genguard_dir

    # -- identity -------------------------------------------------------------
    @property
    def email(self) -> str:
        """``user.email`` as git sees it here (or "unknown")."""
        if self._email is None:
            proc = self.git.run("config", "user.email", check=False)
            self._email = proc.stdout.decode("utf-8", "replace").strip() or "unknown"
        return self._email

    def seed_email(self, email: str | None) -> None:
        """Use an identity already known (a commit's committer) instead of asking git."""
        self._email = self._email or email

    # -- ledger -----------------------------------------------------------------
    @property
    def ledger_enabled(self) -> bool:
        return self.settings.ledger.enabled

    @property
    def ledger_file(self) -> Path:
        return self.state_dir / LEDGER_FILENAME

    def ledger(self) -> Ledger:
        return Ledger(self.ledger_file, actor=self.email)

    def ledger_state(self) -> LedgerState:
        """Chunk state from the ledger's index, read once per hook run (never a replay
        of the whole ledger: see :mod:`genguard.ledger.index`)."""
        if self._state is None:
            if not self.ledger_enabled or not self.ledger_file.exists():
                self._state = LedgerState()
            else:
                self._state = Ledger(self.ledger_file).state()
        return self._state

    def chunks(self) -> dict[str, ChunkState]:
        return self.ledger_state().chunks

    def live(self) -> dict[str, list[ChunkState]]:
        return self.ledger_state().live()

    def suppressions(self) -> dict[tuple[str, str], tuple[str, str | None]]:
        """(chunk, rule) -> (reason, by) for suppressions recorded in the editor."""
        found = self.ledger_state().suppressions
        return {(c, r): v for c, rules in found.items() for r, v in rules.items()}

    def append(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """Append to the ledger when it is enabled; returns the record."""
        if not self.ledger_enabled:
            return None
        return self.ledger().append(event, data)

    def warn_config(self, err: TextIO) -> None:
        """Say what is wrong with the configuration (the affected keys use defaults) and
        what the repository was refused; the refusals are recorded once in the ledger."""
        for problem in self.problems:
            if problem.severity == "error":
                err.write(f"genguard: configuration: {problem}\n")
        refused = [p for p in self.problems if p.refused]
        if refused and self.ledger_enabled:
            from genguard.ledger.refusals import record_refused

            record_refused(self.append, self.state_dir, refused, self.root)

    # -- repository state ---------------------------------------------------------
    def operation(self) -> str | None:
        """The multi-step operation in progress in this worktree, if any."""
        return operation(self.paths.git_dir)
