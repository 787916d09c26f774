"""Fixtures for the VS Code end-to-end tests: code-server, the two extensions, a
fresh workbench per test.

code-server comes from tests/vscode/setup.sh (which .ci/run calls). When it is
missing the tests fail, they do not skip: a run that could not start VS Code
must not look like one that passed. Locally, GENGUARD_SKIP_VSCODE=1 skips them;
under CI (CI set) that variable is ignored: they run, or fail saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.vscode.workbench import Workbench, install_extensions

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXTENSION = ROOT / "editors" / "vscode"
SETUP = HERE / "setup.sh"
SKIP_VAR = "GENGUARD_SKIP_VSCODE"
ARTEFACTS_VAR = "GENGUARD_VSCODE_ARTEFACTS"


def _skip_or_fail(reason: str) -> None:
    if os.environ.get(SKIP_VAR) == "1":
        if os.environ.get("CI"):
            pytest.fail(f"{SKIP_VAR}=1 is not honoured under CI; {reason}")
        pytest.skip(f"{reason} ({SKIP_VAR}=1)")
    pytest.fail(f"{reason}. Run {SETUP.relative_to(ROOT)}, or set {SKIP_VAR}=1 to skip these.")


@pytest.fixture(scope="session")
def code_server() -> Path:
    """The code-server entry script that setup.sh installed."""
    if os.environ.get(SKIP_VAR) == "1" and not os.environ.get("CI"):
        pytest.skip(f"{SKIP_VAR}=1")
    where = subprocess.run(["bash", str(SETUP), "--where"], capture_output=True, text=True)
    entry = Path(where.stdout.strip())
    if where.returncode != 0 or not entry.is_file():
        _skip_or_fail(f"code-server is not installed (expected {entry})")
    missing = [t for t in ("node", "rg", "git") if shutil.which(t) is None]
    if not Path("/usr/bin/chromium").exists():
        missing.append("chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    if missing:
        _skip_or_fail(f"missing for the VS Code tests: {', '.join(missing)}")
    return entry


def _package(folder: Path, out: Path, *extra: str) -> Path:
    vsce = EXTENSION / "node_modules" / ".bin" / "vsce"
    if not vsce.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True)
    proc = subprocess.run(
        [str(vsce), "package", *extra, "--out", str(out)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"vsce package in {folder} failed:\n{proc.stdout}\n{proc.stderr}")
    return out


@pytest.fixture(scope="session")
def extensions_dir(code_server: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """genguard's extension (built from this checkout, or GENGUARD_VSCODE_VSIX) and the
    observer, installed once for the session."""
    tmp = tmp_path_factory.mktemp("vscode-extensions")
    given = os.environ.get("GENGUARD_VSCODE_VSIX")
    genguard = Path(given) if given else _package(EXTENSION, tmp / "genguard.vsix")
    observer = _package(
        HERE / "observer",
        tmp / "observer.vsix",
        "--no-dependencies",
        "--allow-missing-repository",
        "--skip-license",
    )
    target = tmp / "extensions"
    install_extensions(code_server, target, [genguard, observer], tmp)
    return target


def genguard_executable() -> str:
    """The genguard of the interpreter running the tests."""
    found = shutil.which("genguard", path=str(Path(sys.executable).parent)) or shutil.which(
        "genguard"
    )
    assert found, f"no genguard script beside {sys.executable} or on PATH"
    return found


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh git repository to open as the workspace."""
    root = tmp_path / "workspace"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    return root


def settings(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    """User settings that run this checkout's genguard with a cache of the test's own."""
    return {
        "genguard.path": genguard_executable(),
        "genguard.args": ["--cache-dir", str(tmp_path / "genguard-cache")],
        **extra,
    }


def _artefacts_root() -> Path:
    given = os.environ.get(ARTEFACTS_VAR)
    return Path(given) if given else ROOT / ".vscode-test-artefacts"


@pytest.fixture
def workbench_factory(
    request: pytest.FixtureRequest,
    code_server: Path,
    extensions_dir: Path,
    tmp_path: Path,
) -> Iterator:
    """Starts workbenches for a test; each is closed (and, on failure, its screenshot
    and logs kept) when the test ends."""
    started: list[Workbench] = []
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(_artefacts_root() / name, ignore_errors=True)  # no stale screenshot

    def start(workspace: Path, settings: dict | None = None, env: dict | None = None) -> Workbench:
        root = tmp_path / f"vscode-{len(started)}"
        root.mkdir()
        bin_dir = str(Path(sys.executable).parent)
        wb = Workbench(
            entry=code_server,
            extensions_dir=extensions_dir,
            root=root,
            workspace=workspace,
            settings=settings or {},
            artefacts=_artefacts_root() / name,
            env={
                # git hooks run by VS Code's git extension find this genguard
                "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
                "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
                "GIT_CONFIG_NOSYSTEM": "1",
                **(env or {}),
            },
        )
        started.append(wb)
        wb.start()
        return wb

    (tmp_path / "gitconfig").write_text("")
    yield start
    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None
        and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    for wb in started:
        if failed:
            wb.keep_artefacts()
        wb.close()
    if failed and started:
        print(f"VS Code artefacts (screenshot, logs): {started[0].artefacts}", file=sys.stderr)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keeps each phase's report on the item, for workbench_factory's teardown."""
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Says in the log how many VS Code tests really ran, so a CI run shows it."""
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        counts[outcome] = len(
            {r.nodeid for r in reports if getattr(r, "nodeid", "").startswith("tests/vscode/")}
        )
    if any(counts.values()):
        terminalreporter.write_line(
            "VS Code end-to-end (code-server): "
            + ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
            + (f" ({SKIP_VAR}=1)" if counts["skipped"] else "")
        )
