"""genguard.gitio against real git repositories created in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import git

from genguard import gitio

pytestmark = pytest.mark.usefixtures("isolated_git")


@pytest.fixture
def repo(repo: Path) -> Path:
    """The shared repository, by its real path (what git reports)."""
    return repo.resolve()


def commit(root: Path) -> str:
    git(root, "commit", "-q", "--allow-empty", "-m", "init")
    return git(root, "rev-parse", "HEAD").strip()


def test_repo_root_from_subdirectory_and_missing_file(repo: Path) -> None:
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    assert gitio.repo_root(repo) == repo
    assert gitio.repo_root(sub) == repo
    assert gitio.repo_root(sub / "not-yet-created.py") == repo


def test_outside_a_repository_everything_is_none(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert gitio.repo_root(plain) is None
    assert gitio.git_common_dir(plain) is None
    assert gitio.head_commit(plain) is None
    assert gitio.user_email(plain) is None


def test_repository_created_later_is_found(tmp_path: Path) -> None:
    """A negative answer must not be memoized: `git init` can happen at any time."""
    later = tmp_path / "later"
    later.mkdir()
    assert gitio.repo_root(later) is None
    git(later, "init", "-q")
    assert gitio.repo_root(later) == later.resolve()


def test_common_dir_is_absolute_and_shared_by_worktrees(repo: Path, tmp_path: Path) -> None:
    commit(repo)
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "feature", str(wt))
    common = gitio.git_common_dir(repo)
    assert common == repo / ".git"
    assert common.is_absolute()
    assert gitio.git_common_dir(wt) == common
    sub = wt / "pkg"
    sub.mkdir()
    assert gitio.git_common_dir(sub) == common
    assert gitio.repo_root(wt) == wt.resolve()


def test_user_email(repo: Path) -> None:
    assert gitio.user_email(repo) == "dev@example.com"
    git(repo, "config", "--unset", "user.email")
    assert gitio.user_email(repo) is None


def test_head_commit(repo: Path) -> None:
    assert gitio.head_commit(repo) is None  # no commits yet
    sha = commit(repo)
    assert gitio.head_commit(repo) == sha
    sha2 = commit(repo)
    assert gitio.head_commit(repo) == sha2  # HEAD moves; never cached


def test_missing_git_binary_gives_none(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    gitio.clear_cache()
    monkeypatch.setenv("PATH", str(empty))
    assert gitio.repo_root(repo) is None
    assert gitio.git_common_dir(repo) is None
    assert gitio.user_email(repo) is None
    assert gitio.head_commit(repo) is None


def test_git_dir_environment_does_not_redirect_queries(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside a git hook GIT_DIR points at another repository; the path must win."""
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    gitio.clear_cache()
    assert gitio.git_common_dir(repo) == repo / ".git"
