"""What genguard's git hooks add to a commit, measured with the real `git commit`.

A throwaway repository with 20 Python files; each round changes every file and
commits. Figures printed (medians over the rounds, wall clock of `git commit`):

  * without hooks (the baseline);
  * with the hooks installed, no AI lines (pre-commit starts Python and leaves a
    standby that serves post-commit; the prepare-commit-msg shim finds
    pre-commit's hint and has nothing to do);
  * the same with the standby turned off (``GENGUARD_STANDBY=0``: every hook
    starts its own Python), to show what the standby saves;
  * with the hooks, every file carrying 2 AI lines recorded by `genguard record`
    (the gate runs the rules on them; trailers; a note with 20 files of ranges);
  * for reference: starting the hook interpreter alone, and importing the hook runner.

Usage: python bench/hooks.py [--files 20] [--rounds 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 150.0

BODY = '''"""Module {i}."""


def handler_{i}(payload):
    total = 0
    for item in payload:
        total += item
    return total
'''


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> float:
    """Run git; seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **(env or {})}
    )
    return time.perf_counter() - start


def setup(root: Path, files: int) -> Path:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "Bench")
    for i in range(files):
        (repo / f"mod_{i}.py").write_text(BODY.format(i=i))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "initial")
    return repo


def change_all(repo: Path, files: int, n: int) -> None:
    for i in range(files):
        with (repo / f"mod_{i}.py").open("a") as f:
            f.write(f"\nCONSTANT_{n} = {n}\n")


def ai_change_all(repo: Path, files: int, n: int) -> None:
    """Two AI lines per file, recorded as an agent checkpoint (one `genguard record`)."""
    names = []
    for i in range(files):
        name = f"mod_{i}.py"
        with (repo / name).open("a") as f:
            f.write(f"\n\ndef generated_{n}(values):\n    return sorted(values)[{n % 3}]\n")
        names.append(name)
    subprocess.run(
        [sys.executable, "-m", "genguard", "record", "--tool", "bench-agent", *names],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def commit_round(repo: Path, n: int, env: dict[str, str] | None = None) -> float:
    git(repo, "add", "-A")
    return git(repo, "commit", "-qm", f"round {n}", env=env)


def interpreter_ms(rounds: int) -> tuple[float, float]:
    """Median ms to start the interpreter as the shims do, and to import the runner."""
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    bare, runner = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-S", "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
        code = (
            f"import sys; sys.path[:0] = {paths!r}; "
            "import genguard.hooks.runner, genguard.hooks.context, genguard.hooks.postcommit"
        )
        start = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-S", "-c", code], check=True)
        runner.append(time.perf_counter() - start)
    return statistics.median(bare) * 1000, statistics.median(runner) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    from genguard.gitio.run import Git
    from genguard.hooks.install import install_hooks

    with tempfile.TemporaryDirectory(prefix="genguard-bench-") as tmp:
        repo = setup(Path(tmp), args.files)
        n = 0
        plain = []
        for _ in range(args.rounds):
            n += 1
            change_all(repo, args.files, n)
            plain.append(commit_round(repo, n))
        install_hooks(Git(repo))
        n += 1
        change_all(repo, args.files, n)
        commit_round(repo, n)  # warm-up: rule cache, bytecode
        hooked, cold_hooks = [], []
        for _ in range(args.rounds):
            n += 1
            change_all(repo, args.files, n)
            hooked.append(commit_round(repo, n))
            n += 1
            change_all(repo, args.files, n)
            cold_hooks.append(commit_round(repo, n, env={"GENGUARD_STANDBY": "0"}))
        n += 1
        ai_change_all(repo, args.files, n)
        commit_round(repo, n)  # warm-up for the rules of this language
        with_ai = []
        for _ in range(args.rounds):
            n += 1
            ai_change_all(repo, args.files, n)
            with_ai.append(commit_round(repo, n))
        note = subprocess.run(
            ["git", "notes", "--ref", "genguard", "show", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
        ).stdout
        bare_ms, runner_ms = interpreter_ms(args.rounds)

    base = statistics.median(plain) * 1000
    rows = [
        ("git commit without hooks", base, None),
        ("with genguard's hooks, no AI lines", statistics.median(hooked) * 1000, base),
        (
            "  the same, standby off (GENGUARD_STANDBY=0)",
            statistics.median(cold_hooks) * 1000,
            base,
        ),
        (
            f"with hooks, {args.files} files x 2 AI lines",
            statistics.median(with_ai) * 1000,
            base,
        ),
    ]
    table = Table(title=f"git commit of {args.files} changed files (median of {args.rounds})")
    table.add_column("measure")
    table.add_column("ms", justify="right")
    table.add_column("added by hooks", justify="right")
    table.add_column(f"target ≤ {TARGET_MS:.0f} ms", justify="right")
    for label, ms, ref in rows:
        added = "" if ref is None else f"{ms - ref:.0f}"
        verdict = "" if ref is None else ("yes" if ms - ref <= TARGET_MS else "no")
        table.add_row(label, f"{ms:.0f}", added, verdict)
    table.add_row("interpreter start (-I -S), for reference", f"{bare_ms:.0f}", "", "")
    table.add_row("+ import of the hook runner, for reference", f"{runner_ms:.0f}", "", "")
    console = Console()
    console.print(table)
    console.print(f"last note: {len(note)} bytes, one line of JSON" if note else "no note!")
    console.print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
