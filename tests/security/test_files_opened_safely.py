"""Finding 3: repository config and rule files that are links to devices, FIFOs or
places outside the repository are refused, not read (memory, a hung server, a
walk of the whole filesystem)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import git
from tests.security.conftest import GENGUARD
from tests.security.rpc import run_measured

from genguard.fileio import UnsafeFileError, read_regular, regular_files_under

AI_CODE = "import os\n\n\ndef run():\n    os.system(input())\n"
MEMORY_CAP_MB = 300


def test_read_regular_refuses_devices_fifos_links_out_and_oversize(tmp_path: Path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "ok.toml").write_text("a = 1\n")
    (root / "inner.toml").symlink_to("ok.toml")
    (root / "zero.toml").symlink_to("/dev/zero")
    (root / "out.toml").symlink_to(tmp_path / "secret")
    (tmp_path / "secret").write_text("token\n")
    os.mkfifo(root / "fifo.toml")
    (root / "big.toml").write_bytes(b"#" * 2048)

    assert read_regular(root / "ok.toml", limit=100, within=root) == b"a = 1\n"
    assert read_regular(root / "inner.toml", limit=100, within=root) == b"a = 1\n"
    for name, reason in (
        ("zero.toml", "outside the repository"),
        ("out.toml", "outside the repository"),
        ("fifo.toml", "a FIFO"),
        ("big.toml", "over the 1024-byte limit"),
    ):
        with pytest.raises(UnsafeFileError, match=reason) as caught:
            read_regular(root / name, limit=1024, within=root)
        assert "secret" not in str(caught.value)  # the target is never named
    # without a root (a user's own file) a device is still refused, before any read
    with pytest.raises(UnsafeFileError, match="a character device"):
        read_regular("/dev/zero", limit=1024)


def test_rule_walk_stays_inside_and_is_bounded(tmp_path: Path):
    root = tmp_path / "repo"
    rules = root / ".genguard" / "rules"
    rules.mkdir(parents=True)
    (rules / "a.yaml").write_text("[]\n")
    (rules / "up").symlink_to(tmp_path)  # a link to a directory is not followed
    deep = rules
    for i in range(12):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    (deep / "deep.yaml").write_text("[]\n")
    found, left_out = regular_files_under(rules, within=root, suffixes=(".yaml",))
    assert found == [rules / "a.yaml"]
    assert any("deeper than" in why for _, why in left_out)

    (root / ".genguard" / "rules").rename(root / ".genguard" / "kept")
    (root / ".genguard" / "rules").symlink_to("/")
    found, left_out = regular_files_under(
        root / ".genguard" / "rules", within=root, suffixes=(".yaml",)
    )
    assert found == []
    assert [why for _, why in left_out] == ["refused: it leads outside the repository (symlink)"]


@pytest.mark.usefixtures("isolated_git")
@pytest.mark.parametrize("name", [".genguard.toml", "pyproject.toml"])
def test_config_linked_to_dev_zero_scan_stays_small(repo: Path, name: str):
    (repo / "a.py").write_text(AI_CODE)
    (repo / name).symlink_to("/dev/zero")
    rc, out, peak = run_measured([*GENGUARD, "scan", "--no-cache", "."], repo, timeout=120)
    assert peak < MEMORY_CAP_MB, f"scan used {peak:.0f} MB"
    assert "refused: it leads outside the repository" in out
    if name == "pyproject.toml":  # only a warning: the scan runs with the defaults
        assert rc == 1 and "py-os-system" in out
    else:  # the repository's config is broken: the scan says so and stops
        assert rc == 2


@pytest.mark.usefixtures("isolated_git")
def test_config_linked_to_dev_zero_commit_gate_stays_small(repo: Path):
    from genguard.gitio.run import Git
    from genguard.hooks.install import install_hooks

    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-qm", "initial")
    assert install_hooks(Git(repo)).ok
    (repo / ".genguard.toml").symlink_to("/dev/zero")
    (repo / "a.py").write_text(AI_CODE)
    git(repo, "add", "a.py")
    env = dict(os.environ)  # every hook a child of git: measured
    _rc, out, peak = run_measured(["git", "commit", "-qm", "add a"], repo, timeout=120, env=env)
    assert peak < MEMORY_CAP_MB, f"the commit used {peak:.0f} MB"
    assert "refused: it leads outside the repository" in out, out
    assert "timed out" not in out


@pytest.mark.usefixtures("isolated_git")
@pytest.mark.parametrize("kind", ["stdin", "fifo"])
def test_config_that_is_the_servers_own_input_or_a_fifo(repo: Path, serve, kind: str):
    if kind == "stdin":
        (repo / ".genguard.toml").symlink_to("/dev/stdin")
    else:
        os.mkfifo(repo / ".genguard.toml")
    server = serve(repo)
    reply = server.initialize(repo, timeout=60)
    assert "result" in reply and reply["result"]["capabilities"]
    server.open(repo / "a.py", AI_CODE)
    assert "result" in server.request(
        "genguard/fileProvenance", {"textDocument": {"uri": (repo / "a.py").as_uri()}}
    )
    shown = " | ".join(m["params"]["message"] for m in server.notifications("window/showMessage"))
    shown += " | ".join(m["params"]["message"] for m in server.notifications("window/logMessage"))
    assert ".genguard.toml" in shown and "refused" in shown


@pytest.mark.usefixtures("isolated_git")
def test_rules_directory_linked_out_is_not_walked(repo: Path, tmp_path: Path, serve):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "planted.yaml").write_text(
        "- id: planted-rule\n  languages: [python]\n  severity: error\n"
        "  message: planted\n  regex: 'os'\n"
    )
    (repo / ".genguard").mkdir()
    (repo / ".genguard" / "rules").symlink_to(outside)
    (repo / "a.py").write_text(AI_CODE)
    rc, out, _peak = run_measured([*GENGUARD, "scan", "--no-cache", "."], repo, timeout=120)
    assert "planted" not in out and str(outside) not in out
    assert ".genguard/rules" in out and "refused" in out
    assert rc == 1 and "py-os-system" in out  # the built-in rules still run

    (repo / ".genguard" / "rules").unlink()
    (repo / ".genguard" / "rules").symlink_to("/")
    _rc, out, peak = run_measured([*GENGUARD, "scan", "--no-cache", "."], repo, timeout=120)
    lines = [line for line in out.splitlines() if "/" in line]
    assert all(str(repo) in line or line.startswith("a.py") for line in lines), out
    assert peak < MEMORY_CAP_MB

    server = serve(repo)
    assert "result" in server.initialize(repo, timeout=60)
    logged = " | ".join(m["params"]["message"] for m in server.notifications("window/logMessage"))
    assert "/etc" not in logged and "/usr" not in logged
