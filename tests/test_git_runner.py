"""One git runner: genguard.gitio.run is the only module that starts git, its
hook-environment flag does what it says, and its errors speak the user's language."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import git

from genguard.gitio.run import GitError, run_git

SOURCE = Path(__file__).resolve().parents[1] / "server" / "genguard"
RUNNER = SOURCE / "gitio" / "run.py"

#: Calls that start a process, by module and function name.
_SPAWNERS = {
    "subprocess": {"run", "Popen", "call", "check_call", "check_output", "getoutput"},
    "os": {"system", "popen", "execv", "execvp", "execvpe", "execl", "execlp", "spawnv"},
    "asyncio": {"create_subprocess_exec", "create_subprocess_shell"},
    "pty": {"spawn"},
}


def _program(call: ast.Call) -> str | None:
    """The program a spawning call names literally (first word of a shell string)."""
    if not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.List | ast.Tuple) and first.elts:
        first = first.elts[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return Path(first.value.split()[0]).name if first.value.split() else None
    return None


def process_spawns(source: str) -> list[tuple[int, str | None]]:
    """(line, program or None when not literal) of each process-starting call."""
    tree = ast.parse(source)
    imported: dict[str, str] = {}  # local name -> module of a `from X import name`
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in _SPAWNERS:
            for alias in node.names:
                if alias.name in _SPAWNERS[node.module]:
                    imported[alias.asname or alias.name] = node.module
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        spawning = (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.attr in _SPAWNERS.get(func.value.id, ())
        ) or (isinstance(func, ast.Name) and func.id in imported)
        if spawning:
            found.append((node.lineno, _program(node)))
    return found


def test_the_source_scan_finds_a_git_spawn() -> None:
    """The check below can fail: each way of starting git is seen."""
    samples = [
        'import subprocess\nsubprocess.run(["git", "status"])\n',
        "import subprocess\nsubprocess.check_output(('git', 'log'))\n",
        "from subprocess import Popen as P\nP(['/usr/bin/git', 'log'])\n",
        "import os\nos.system('git gc')\n",
        "import subprocess\nsubprocess.run(cmd)\n",  # not literal: cannot be vouched for
    ]
    for sample in samples:
        assert [prog for _, prog in process_spawns(sample)] in (["git"], [None]), sample
    assert process_spawns("import subprocess\nsubprocess.run(['ssh-keygen', '-Y'])\n") == [
        (2, "ssh-keygen")
    ]


def test_no_module_but_the_runner_starts_git() -> None:
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path == RUNNER:
            continue
        for line, program in process_spawns(path.read_text(encoding="utf-8")):
            if program is None or program == "git":
                offenders.append(f"{path.relative_to(SOURCE)}:{line} starts {program or '?'}")
    assert offenders == [], "git is started only by genguard.gitio.run.run_git"
    assert process_spawns(RUNNER.read_text()), "the runner itself starts git"


@pytest.mark.usefixtures("isolated_git")
def test_hook_env_flag_keeps_or_clears_gits_hook_variables(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside a hook GIT_DIR names the repository the hook runs for: kept on
    request, cleared when the question is about the path itself."""
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))

    def git_dir(hook_env: bool) -> Path:
        out = run_git(repo, "rev-parse", "--absolute-git-dir", hook_env=hook_env).stdout
        return Path(out.decode().strip())

    assert git_dir(hook_env=True) == (other / ".git").resolve()
    assert git_dir(hook_env=False) == (repo / ".git").resolve()


@pytest.mark.usefixtures("isolated_git")
def test_hook_env_flag_keeps_the_index_being_committed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `commit -a` the staged tree lives in the index GIT_INDEX_FILE names."""
    (repo / "a.txt").write_text("a\n")
    git(repo, "add", "a.txt")
    real = run_git(repo, "write-tree", hook_env=False).stdout
    temp = repo / ".git" / "index.temp"
    monkeypatch.setenv("GIT_INDEX_FILE", str(temp))
    assert run_git(repo, "write-tree", hook_env=True).stdout != real  # the (empty) temp index
    assert run_git(repo, "write-tree", hook_env=False).stdout == real


@pytest.mark.usefixtures("isolated_git")
def test_errors_name_the_path_not_the_git_command_line(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitError) as caught:
        run_git(plain, "rev-parse", "--path-format=absolute", "--show-toplevel", hook_env=False)
    assert caught.value.kind == "no-repository"
    assert str(caught.value) == f"{plain} is not inside a git repository"
    with pytest.raises(GitError) as caught:
        run_git(tmp_path / "gone", "status", hook_env=False)
    assert "is not a directory" in str(caught.value)


@pytest.mark.usefixtures("isolated_git")
def test_a_missing_git_and_a_plain_failure_are_said(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(GitError) as caught:
        run_git(repo, "rev-parse", "--verify", "no-such-rev", hook_env=False)
    assert caught.value.kind == "failed"
    assert str(caught.value).startswith("git rev-parse: fatal:")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitError, match="git is not installed") as caught:
        run_git(repo, "status", hook_env=False)
    assert caught.value.kind == "no-git"


def _genguard(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SUDO_UID", "COLUMNS")}
    env["COLUMNS"] = "400"  # one line per message, wherever rich prints it
    return subprocess.run(
        [sys.executable, "-m", "genguard", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


#: Commands that need a repository, as a user runs them in a folder.
_COMMANDS = [
    ("install-hooks",),
    ("notes", "push"),
    ("blame", "a.py"),
    ("stats",),
    ("record", "--tool", "some-agent", "a.py"),
    ("review",),
    ("gate", "--policy", "policy.rego"),
    ("hook", "pre-commit"),  # a hook run by hand
]
#: Commands that also run in a plain folder, but not in a repository git refuses.
_ALSO_REFUSED = [("scan", "."), ("verify",), ("install-agent-hooks", "cursor")]


@pytest.mark.usefixtures("isolated_git")
@pytest.mark.parametrize("argv", _COMMANDS, ids=lambda a: a[0])
def test_commands_outside_a_repository_say_so_once(tmp_path: Path, argv: tuple[str, ...]) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("x = 1\n")
    proc = _genguard(plain, *argv)
    assert proc.returncode == 2, proc.stderr
    assert "is not inside a git repository" in proc.stderr
    assert "fatal" not in proc.stderr and "rev-parse" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to own a repo as another"
)
@pytest.mark.usefixtures("isolated_git")
@pytest.mark.parametrize("argv", [*_COMMANDS, *_ALSO_REFUSED], ids=lambda a: a[0])
def test_a_repository_git_refuses_is_reported_as_refused(
    tmp_path: Path, argv: tuple[str, ...]
) -> None:
    """A repository owned by someone else is neither "not a repository" nor
    scanned as a plain folder: git's refusal is said, with the way out."""
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    git(theirs, "init", "-q")
    (theirs / "a.py").write_text("x = 1\n")
    for path in [theirs, *theirs.rglob("*")]:
        os.lchown(path, 65534, 65534)
    proc = _genguard(theirs, *argv)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "dubious ownership" in proc.stderr, proc.stderr
    assert f"safe.directory {theirs}" in proc.stderr
    assert "not inside a git repository" not in proc.stderr
    assert "fatal" not in proc.stderr and "usage" not in proc.stderr, proc.stderr
    assert not (theirs / ".cursor").exists()  # nothing written into it
