"""Where each configuration layer lives.

Settings come from four layers, later ones overriding earlier ones key by key:
built-in defaults, the organisation's policy, the user's configuration and the
repository's. Only the first three are trusted; what a repository may set is
declared per key (:mod:`genguard.config.settings`). Standard library only, so a
hook can tell whether any of these files changed without importing the loader.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ORG_POLICY_ENV = "GENGUARD_ORG_POLICY"
"""Path of the organisation's policy file; set and empty: no organisation policy."""
USER_CONFIG_ENV = "GENGUARD_USER_CONFIG"
"""Path of the user's configuration file; set and empty: none."""
SYSTEM_POLICY = Path("/etc/genguard/policy.toml")
USER_CONFIG_NAME = "config.toml"
REPOSITORY_FILES = (".genguard.toml", "pyproject.toml")


def _from_env(name: str) -> tuple[bool, Path | None]:
    """(whether ``name`` is set, the path it names; None when set and empty)."""
    value = os.environ.get(name)
    if value is None:
        return False, None
    return True, (Path(value).expanduser() if value.strip() else None)


def org_policy_file() -> Path | None:
    """The organisation's policy: ``$GENGUARD_ORG_POLICY``, else the system location
    (``/etc/genguard/policy.toml``; ``%ProgramData%\\genguard\\policy.toml`` on Windows)."""
    given, path = _from_env(ORG_POLICY_ENV)
    if given:
        return path
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA")
        return Path(base) / "genguard" / "policy.toml" if base else None
    return SYSTEM_POLICY


def user_dir(kind: str) -> Path:
    """genguard's per-user ``config`` or ``cache`` directory, as platformdirs places it.

    On Linux that is ``$XDG_CONFIG_HOME`` / ``$XDG_CACHE_HOME`` (else ``~/.config``,
    ``~/.cache``), found here without importing platformdirs, which would cost a commit
    hook more than the rest of finding its configuration."""
    if sys.platform == "linux":
        variable, default = {"config": ("XDG_CONFIG_HOME", "~/.config")}.get(
            kind, ("XDG_CACHE_HOME", "~/.cache")
        )
        base = os.environ.get(variable, "")
        return Path(base if base.strip() else os.path.expanduser(default)) / "genguard"
    import platformdirs

    find = platformdirs.user_config_dir if kind == "config" else platformdirs.user_cache_dir
    return Path(find("genguard", appauthor=False))


def user_config_file() -> Path | None:
    """The user's configuration: ``$GENGUARD_USER_CONFIG``, else ``config.toml`` in the
    platform's user config dir (``~/.config/genguard`` on Linux, honouring XDG)."""
    given, path = _from_env(USER_CONFIG_ENV)
    if given:
        return path
    return user_dir("config") / USER_CONFIG_NAME


def config_files(root: Path) -> tuple[Path, ...]:
    """Every file the settings of the workspace at ``root`` may be read from."""
    trusted = (org_policy_file(), user_config_file())
    return (*(p for p in trusted if p is not None), *(root / n for n in REPOSITORY_FILES))
