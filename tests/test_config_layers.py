"""Configuration layers: organisation policy, user config, repository; trust and floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from genguard.config import Settings, load_settings
from genguard.config.paths import (
    ORG_POLICY_ENV,
    SYSTEM_POLICY,
    USER_CONFIG_ENV,
    config_files,
    org_policy_file,
    user_config_file,
)


@pytest.fixture
def layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    files = {
        "org": tmp_path / "policy.toml",
        "user": tmp_path / "user.toml",
        "repo": tmp_path / "repo" / ".genguard.toml",
    }
    files["repo"].parent.mkdir()
    files["org"].write_text("")
    files["user"].write_text("")
    monkeypatch.setenv(ORG_POLICY_ENV, str(files["org"]))
    monkeypatch.setenv(USER_CONFIG_ENV, str(files["user"]))
    return files


def test_each_layer_overrides_the_one_before(layers: dict[str, Path]) -> None:
    layers["org"].write_text('scope = "all"\n[heuristics]\nmin_lines = 3\nmin_chars = 50\n')
    layers["user"].write_text("[heuristics]\nmin_lines = 4\n")
    layers["repo"].write_text("[heuristics]\nmin_chars = 70\n")
    result = load_settings(layers["repo"].parent)
    assert result.problems == ()
    assert result.settings.scope == "all"
    assert (result.settings.heuristics.min_lines, result.settings.heuristics.min_chars) == (4, 70)
    assert result.source == layers["repo"]
    assert result.layers == (("organisation", layers["org"]), ("user", layers["user"]))


def test_the_repository_cannot_set_what_only_the_user_may(layers: dict[str, Path]) -> None:
    layers["user"].write_text(
        'reviewer = "me@example.com"\n[hooks]\ntimeout = 30\n'
        '[telemetry]\nenabled = true\notlp_endpoint = "http://localhost:4318"\n'
    )
    text = (
        'reviewer = "aaa-lead"\n'
        'scope = "all"\n'
        "[hooks]\n"
        "timeout = 0.001\n"
        'fail_mode = "open"\n'
        "[signing]\n"
        'allowed_signers = "keys/allowed"\n'
        'key = "keys/id"\n'
        "[telemetry]\n"
        'otlp_endpoint = "http://attacker.example"\n'
    )
    layers["repo"].write_text(text)
    result = load_settings(layers["repo"].parent)
    s = result.settings
    assert s.scope == "all"  # the rest of the file applies
    assert s.reviewer == "me@example.com" and s.hooks.timeout == 30
    assert s.hooks.fail_mode == "open" and s.signing == Settings().signing
    assert s.telemetry.otlp_endpoint == "http://localhost:4318"
    refused = {p.key: p for p in result.refused}
    assert set(refused) == {
        "reviewer",
        "hooks.timeout",
        "hooks.fail_mode",
        "signing.allowed_signers",
        "signing.key",
        "telemetry.otlp_endpoint",
    }
    for p in refused.values():
        assert p.path == layers["repo"] and p.severity == "error"
        assert "only the user's or the organisation's" in p.message
    assert refused["reviewer"].line == 1 and refused["telemetry.otlp_endpoint"].line == 10
    assert "attacker" not in refused["telemetry.otlp_endpoint"].message  # values are not echoed
    assert result.errors == ()  # refusals are not mistakes in the input


def test_organisation_floors_hold_against_the_repository_and_the_user(
    layers: dict[str, Path],
) -> None:
    layers["org"].write_text(
        "unreviewed_diagnostic = true\n"
        '[rules]\npacks = ["security", "secrets"]\n'
        "[ledger]\nenabled = true\n"
        '[hooks]\nrequire_review = "warn"\n'
    )
    layers["user"].write_text('[hooks]\nrequire_review = "off"\n')
    layers["repo"].write_text(
        'unreviewed_diagnostic = false\n[rules]\npacks = ["quality"]\n[ledger]\nenabled = false\n'
    )
    result = load_settings(layers["repo"].parent)
    s = result.settings
    assert s.unreviewed_diagnostic is True and s.ledger.enabled is True
    assert s.rules.packs == ("quality", "security", "secrets")  # raised, not replaced
    assert s.hooks.require_review == "warn"
    refused = {(p.path.name, p.key): p for p in result.refused}
    assert set(refused) == {
        ("user.toml", "hooks.require_review"),
        (".genguard.toml", "unreviewed_diagnostic"),
        (".genguard.toml", "rules.packs"),
        (".genguard.toml", "ledger.enabled"),
    }
    packs = refused[(".genguard.toml", "rules.packs")]
    assert packs.line == 3 and str(layers["org"]) in packs.message
    assert '["security", "secrets"]' in packs.message


def test_going_above_a_floor_is_fine(layers: dict[str, Path]) -> None:
    layers["org"].write_text('[rules]\npacks = ["security"]\n[hooks]\nrequire_review = "warn"\n')
    layers["repo"].write_text(
        '[rules]\npacks = ["secrets", "security"]\n[hooks]\nrequire_review = "block"\n'
    )
    result = load_settings(layers["repo"].parent)
    assert result.problems == ()
    assert result.settings.rules.packs == ("secrets", "security")
    assert result.settings.hooks.require_review == "block"


def test_without_an_organisation_the_repository_may_lower_defaults(layers: dict[str, Path]) -> None:
    layers["repo"].write_text("[rules]\npacks = []\n[ledger]\nenabled = false\n")
    result = load_settings(layers["repo"].parent)
    assert result.problems == () and result.settings.rules.packs == ()
    assert result.settings.ledger.enabled is False


def test_a_broken_trusted_file_is_reported_with_its_own_path(layers: dict[str, Path]) -> None:
    layers["org"].write_text("[rules\n")
    layers["user"].write_text("[heuristics]\nmin_lines = 0\n")
    layers["repo"].write_text('scope = "all"\n')
    result = load_settings(layers["repo"].parent)
    assert {p.path for p in result.errors} == {layers["org"], layers["user"]}
    assert result.settings.scope == "all"


def test_where_the_layers_are(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ORG_POLICY_ENV)
    monkeypatch.delenv(USER_CONFIG_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert org_policy_file() == SYSTEM_POLICY == Path("/etc/genguard/policy.toml")
    assert user_config_file() == tmp_path / "xdg" / "genguard" / "config.toml"
    monkeypatch.setenv(ORG_POLICY_ENV, "")
    monkeypatch.setenv(USER_CONFIG_ENV, "~/mine.toml")
    assert org_policy_file() is None
    assert user_config_file() == Path.home() / "mine.toml"
    assert config_files(tmp_path) == (
        Path.home() / "mine.toml",
        tmp_path / ".genguard.toml",
        tmp_path / "pyproject.toml",
    )


def test_a_named_policy_that_is_missing_is_an_error(layers: dict[str, Path]) -> None:
    """``GENGUARD_ORG_POLICY`` naming no file must not quietly drop the floors."""
    layers["org"].unlink()
    layers["user"].unlink()
    layers["repo"].write_text("[rules]\npacks = []\n")
    result = load_settings(layers["repo"].parent)
    assert [p.path for p in result.errors] == [layers["org"], layers["user"]]
    assert all("cannot read" in p.message for p in result.errors)


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"XDG_CONFIG_HOME": "/x/conf", "XDG_CACHE_HOME": "/x/cache"},
        {"XDG_CONFIG_HOME": " ", "XDG_CACHE_HOME": ""},
    ],
)
def test_user_dirs_are_where_platformdirs_puts_them(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """Hooks find the user's directories without importing platformdirs; same answer."""
    import platformdirs

    from genguard.config.paths import user_dir

    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert user_dir("config") == Path(platformdirs.user_config_dir("genguard", appauthor=False))
    assert user_dir("cache") == Path(platformdirs.user_cache_dir("genguard", appauthor=False))
