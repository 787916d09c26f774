"""Read-only helpers around the real ``git`` binary."""

from genguard.gitio.repo import (
    GIT_TIMEOUT,
    clear_cache,
    git_common_dir,
    head_commit,
    repo_root,
    user_email,
)

__all__ = [
    "GIT_TIMEOUT",
    "clear_cache",
    "git_common_dir",
    "head_commit",
    "repo_root",
    "user_email",
]
