"""The Neovim plugin (editors/neovim) in a real headless Neovim against the real server.

One Neovim run per binary executes tests/neovim/plugin_spec.lua, which prints
"ok NAME" / "not ok NAME" per case; each case is reported here as its own test.
`nvim` on PATH is used; GENGUARD_TEST_NVIM adds more binaries (os.pathsep-separated),
e.g. a newer Neovim to cover the 0.11+ launcher next to Debian's 0.7.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SPEC = HERE / "plugin_spec.lua"
CASES = [
    m.group(1) for m in re.finditer(r'^test\("((?:[^"\\]|\\.)*)"', SPEC.read_text(), re.MULTILINE)
]


def _binaries() -> list[tuple[str, str | None]]:
    """(nvim path, forced launcher) pairs to run the spec with."""
    found: list[str] = []
    if path := shutil.which("nvim"):
        found.append(path)
    for extra in filter(None, os.environ.get("GENGUARD_TEST_NVIM", "").split(os.pathsep)):
        if shutil.which(extra) and shutil.which(extra) not in found:
            found.append(shutil.which(extra))
    runs: list[tuple[str, str | None]] = [(p, None) for p in found]
    # a 0.11+ Neovim also has vim.lsp.start: run the 0.8-0.10 launcher there too
    for p in found:
        if _version(p) >= (0, 11):
            runs.append((p, "start"))
    return runs


def _version(nvim: str) -> tuple[int, int]:
    out = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30).stdout
    m = re.search(r"NVIM v(\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


RUNS = _binaries()
pytestmark = pytest.mark.skipif(not RUNS, reason="nvim is not installed (apt-get install neovim)")


def _run(nvim: str, launcher: str | None, tmp: Path) -> subprocess.CompletedProcess[str]:
    repo = tmp / "repo"
    repo.mkdir()
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.email", "dev@example.com"],
        ["config", "user.name", "Dev"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    server = [sys.executable, "-m", "genguard", "serve", "--cache-dir", str(tmp / "cache")]
    env = {
        **os.environ,
        "GENGUARD_TEST_REPO": str(repo),
        "GENGUARD_TEST_CMD": json.dumps(server),
        "GIT_CONFIG_NOSYSTEM": "1",
        # keep the user's Neovim state (and LSP log) out of the run
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_STATE_HOME": str(tmp / "state"),
        "XDG_CACHE_HOME": str(tmp / "cache-nvim"),
    }
    if launcher:
        env["GENGUARD_TEST_LAUNCHER"] = launcher
    else:
        env.pop("GENGUARD_TEST_LAUNCHER", None)
    cmd = [
        nvim,
        "--headless",
        "--noplugin",
        "-u",
        str(HERE / "minimal_init.lua"),
        "-c",
        f"luafile {SPEC}",
        "-c",
        "cquit 3",  # reached only when the spec itself failed to load or run
    ]
    try:
        return subprocess.run(
            cmd,
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:  # report what ran instead of one opaque error

        def text(b: bytes | str | None) -> str:
            return b.decode(errors="replace") if isinstance(b, bytes) else (b or "")

        return subprocess.CompletedProcess(
            cmd, -9, text(exc.stdout), text(exc.stderr) + "\n[timed out]"
        )


@pytest.fixture(scope="module", params=RUNS, ids=lambda r: f"{Path(r[0]).name}-{r[1] or 'auto'}")
def nvim_run(request: pytest.FixtureRequest) -> tuple[subprocess.CompletedProcess[str], dict]:
    nvim, launcher = request.param
    with tempfile.TemporaryDirectory(prefix="genguard-nvim-") as tmp:
        proc = _run(nvim, launcher, Path(tmp))
    results: dict[str, list[str]] = {}
    current = None
    for line in proc.stdout.splitlines():
        if m := re.match(r"^(ok|not ok) (.*)$", line):
            current = m.group(2)
            results[current] = [m.group(1)]
        elif line.startswith("#   ") and current:
            results[current].append(line[4:])
    return proc, results


def _log(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def test_cases_found() -> None:
    assert len(CASES) >= 10, CASES


@pytest.mark.parametrize("case", CASES)
def test_neovim(nvim_run, case: str) -> None:
    proc, results = nvim_run
    assert case in results, f"{case!r} did not run\n{_log(proc)}"
    status, *detail = results[case]
    assert status == "ok", "\n".join(detail) + "\n" + _log(proc)


def test_exit_status_matches_results(nvim_run) -> None:
    proc, results = nvim_run
    failed = [name for name, (status, *_) in results.items() if status != "ok"]
    assert (proc.returncode != 0) == bool(failed), _log(proc)
    assert set(results) == set(CASES), _log(proc)
