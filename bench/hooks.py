"""What genguard's git hooks add to a commit, measured with the real `git commit`.

Throwaway repositories with 20 Python files; each round changes every file and
commits, in every repository in turn (so load on the machine hits all alike).
Figures printed (medians over the rounds, wall clock of `git commit`):

  * plain git, without hooks (the baseline);
  * with the hooks, no AI lines (the shims find no staged file with live AI
    chunks and start Python only for post-commit, which writes the note);
  * with the hooks, every file carrying 2 AI lines recorded by `genguard record`
    (the gate runs the rules on them; trailers; a note with 20 files of ranges);
  * both again in a repository whose ledger already holds ``--large`` records
    (1M by default) instead of ``--small`` (1k): the hooks read the ledger's
    index, never the whole ledger, so the two should cost the same;
  * for reference: starting the hook interpreter alone, and importing the hook runner;
  * with ``--against DIR`` (another genguard checkout, e.g. a worktree of an older
    commit): the same two commits with that checkout's hooks and ``genguard record``,
    ledger of ``--small`` records, in the same rounds, so a change is compared under
    the same load.

Usage: python bench/hooks.py [--files 20] [--rounds 9] [--small 1000] [--large 1000000]
                             [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: What the hooks may add to a commit of 20 files: without AI lines, and with them.
TARGET_PLAIN_MS = 100.0
TARGET_AI_MS = 250.0
#: The key of the repository measured with ``--against``'s hooks.
PEER = "against"

BODY = '''"""Module {i}."""


def handler_{i}(payload):
    total = 0
    for item in payload:
        total += item
    return total
'''


#: CPU seconds (user + system) of every git and hook process of each commit, in the
#: order the commits were timed: on a shared machine the wall clock also counts the
#: time other work held the CPUs, the CPU time does not.
CPU: list[float] = []


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> float:
    """Run git; seconds it took (and its CPU seconds, with its hooks, into CPU)."""
    cpu = _cpu()
    start = time.perf_counter()
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **(env or {})}
    )
    took = time.perf_counter() - start
    CPU.append(_cpu() - cpu)
    return took


def setup(root: Path, files: int, name: str = "repo") -> Path:
    repo = root / name
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "Bench")
    for i in range(files):
        (repo / f"mod_{i}.py").write_text(BODY.format(i=i))
        (repo / f"gen_{i}.py").write_text(BODY.format(i=i))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "initial")
    return repo


def change_all(repo: Path, files: int, n: int) -> None:
    for i in range(files):
        with (repo / f"mod_{i}.py").open("a") as f:
            f.write(f"\nCONSTANT_{n} = {n}\n")


#: The genguard each repository's hooks and ``genguard record`` come from: the source
#: directory put first on the import path (None: this checkout, as installed).
SOURCE: dict[Path, str | None] = {}


def _env(repo: Path) -> dict[str, str]:
    server = SOURCE.get(repo)
    return {**os.environ, "PYTHONPATH": server} if server else dict(os.environ)


def install(repo: Path) -> None:
    """genguard's hooks, from the checkout ``repo`` is measured with."""
    code = "from pathlib import Path; from genguard.gitio.run import Git; "
    code += "from genguard.hooks.install import install_hooks; install_hooks(Git(Path.cwd()))"
    subprocess.run([sys.executable, "-c", code], cwd=repo, check=True, env=_env(repo))


def ai_change_all(repo: Path, files: int, n: int) -> None:
    """Two AI lines per file, recorded as an agent checkpoint (one `genguard record`);
    in files of their own (``gen_*.py``), so the other rounds commit files that have
    no AI code at all."""
    names = []
    for i in range(files):
        name = f"gen_{i}.py"
        with (repo / name).open("a") as f:
            f.write(f"\n\ndef generated_{n}(values):\n    return sorted(values)[{n % 3}]\n")
        names.append(name)
    subprocess.run(
        [sys.executable, "-m", "genguard", "record", "--tool", "bench-agent", *names],
        cwd=repo,
        check=True,
        capture_output=True,
        env=_env(repo),
    )


def commit_round(repo: Path, n: int, cpu: list[float], env: dict[str, str] | None = None) -> float:
    """Commit everything; wall seconds returned, CPU seconds appended to ``cpu``."""
    git(repo, "add", "-A")
    took = git(repo, "commit", "-qm", f"round {n}", env=env)
    cpu.append(CPU[-1])
    return took


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


def pad_ledger(repo: Path, records: int) -> None:
    """Fill the repository's ledger with ``records`` well-chained records of past work,
    as years of editing would leave them: chunks created, modified, their findings,
    ended, and commit notes (on files the bench never commits)."""
    from genguard.ledger.records import encode_line, make_record
    from genguard.ledger.store import ledger_path

    path = ledger_path(repo)
    path.parent.mkdir(parents=True, exist_ok=True)
    cycle = (
        "chunk.created",
        "chunk.modified",
        "chunk.modified",
        "finding.raised",
        "chunk.modified",
        "chunk.ended",
        "commit.noted",
        "commit.noted",
    )
    prev = None
    with path.open("wb") as f:
        for seq in range(records):
            event = cycle[seq % len(cycle)]
            chunk = f"old{seq // len(cycle):010x}"
            if event == "commit.noted":
                data = {"commit": f"{seq:040x}", "ai_lines": 0, "added_lines": 3}
            elif event == "finding.raised":
                data = {"chunk": chunk, "file": "old/gone.py", "rule": "py-eval"}
            else:
                data = {
                    "chunk": chunk,
                    "file": f"old/mod_{seq % 97}.py",
                    "lines": [1, 2],
                    "tool": "bench-agent",
                    "line_hashes": [f"{seq:016x}", f"{seq + 1:016x}"],
                }
            record = make_record(
                seq=seq,
                actor="bench@example.com",
                event=event,
                data=data,
                prev=prev,
                time="2025-01-01T00:00:00.000Z",
            )
            f.write(encode_line(record))
            prev = record["hash"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--small", type=int, default=1000, help="records in the small ledger")
    parser.add_argument("--large", type=int, default=1_000_000, help="records in the large one")
    parser.add_argument(
        "--against", type=Path, help="another genguard checkout to measure in the same rounds"
    )
    args = parser.parse_args()
    against = args.against.resolve() / "server" if args.against else None
    if against is not None and not (against / "genguard" / "hooks").is_dir():
        parser.error(f"{args.against} is not a genguard checkout (no server/genguard/hooks)")
    load_before = os.getloadavg()[0]
    from rich.console import Console
    from rich.table import Table

    console = Console(width=130)
    with tempfile.TemporaryDirectory(prefix="genguard-bench-") as tmp:
        plain_repo = setup(Path(tmp), args.files, "plain")
        repos: dict[int | str, Path] = {}
        sizes: dict[int | str, int] = {args.small: args.small, args.large: args.large}
        if against is not None:
            sizes[PEER] = args.small
        for key, size in sizes.items():
            repo = setup(Path(tmp), args.files, f"ledger-{key}")
            SOURCE[repo] = str(against) if key == PEER else None
            start = time.perf_counter()
            pad_ledger(repo, size)
            console.print(
                f"ledger of {size:,} records written in {time.perf_counter() - start:.1f} s"
            )
            install(repo)
            repos[key] = repo
        n = 0
        warm: list[float] = []
        for repo in repos.values():  # warm-up: the index is built, rules cached, bytecode
            n += 1
            change_all(repo, args.files, n)
            commit_round(repo, n, warm)
            n += 1
            ai_change_all(repo, args.files, n)
            commit_round(repo, n, warm)
        plain: list[float] = []
        plain_cpu: list[float] = []
        no_ai: dict[int, list[float]] = {size: [] for size in repos}
        with_ai: dict[int, list[float]] = {size: [] for size in repos}
        no_ai_cpu: dict[int, list[float]] = {size: [] for size in repos}
        with_ai_cpu: dict[int, list[float]] = {size: [] for size in repos}
        for _ in range(args.rounds):
            n += 1
            change_all(plain_repo, args.files, n)
            plain.append(commit_round(plain_repo, n, plain_cpu))
            for size, repo in repos.items():
                change_all(repo, args.files, n)
                no_ai[size].append(commit_round(repo, n, no_ai_cpu[size]))
            n += 1
            for size, repo in repos.items():
                ai_change_all(repo, args.files, n)
                with_ai[size].append(commit_round(repo, n, with_ai_cpu[size]))
        note = subprocess.run(
            ["git", "notes", "--ref", "genguard", "show", "HEAD"],
            cwd=repos[args.large],
            capture_output=True,
            text=True,
        ).stdout
        bare_ms, runner_ms = interpreter_ms(args.rounds)

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    base, base_cpu = ms(plain), ms(plain_cpu)
    rows: list[tuple[str, float, float, float | None]] = [
        ("plain git, no hooks", base, base_cpu, None)
    ]
    for size in repos:
        if size == PEER:
            for label, wall, cpu, target in (
                ("no AI lines", no_ai, no_ai_cpu, TARGET_PLAIN_MS),
                (f"{args.files} files x 2 AI lines", with_ai, with_ai_cpu, TARGET_AI_MS),
            ):
                rows.append(
                    (
                        f"{args.against}: {label}, ledger {args.small:,}",
                        ms(wall[PEER]),
                        ms(cpu[PEER]),
                        target,
                    )
                )
            continue
        rows.append(
            (
                f"hooks, no AI lines, ledger {size:,} records",
                ms(no_ai[size]),
                ms(no_ai_cpu[size]),
                TARGET_PLAIN_MS,
            )
        )
        rows.append(
            (
                f"hooks, {args.files} files x 2 AI lines, ledger {size:,}",
                ms(with_ai[size]),
                ms(with_ai_cpu[size]),
                TARGET_AI_MS,
            )
        )
    table = Table(title=f"git commit of {args.files} changed files (median of {args.rounds})")
    table.add_column("measure")
    table.add_column("wall ms", justify="right")
    table.add_column("added by hooks", justify="right")
    table.add_column("× plain git", justify="right")
    table.add_column("CPU ms", justify="right")
    table.add_column("CPU added", justify="right")
    table.add_column("target", justify="right")
    table.add_column("met (wall)", justify="right")
    for label, value, cpu, target in rows:
        if target is None:
            table.add_row(label, f"{value:.0f}", "", "1.0×", f"{cpu:.0f}", "", "", "")
        else:
            added = value - base
            table.add_row(
                label,
                f"{value:.0f}",
                f"{added:.0f}",
                f"{value / base:.1f}×",
                f"{cpu:.0f}",
                f"{cpu - base_cpu:.0f}",
                f"≤ {target:.0f}",
                "yes" if added <= target else "no",
            )
    table.add_row("interpreter start (-I -S), for reference", f"{bare_ms:.0f}", *[""] * 6)
    table.add_row("+ import of the hook runner, for reference", f"{runner_ms:.0f}", *[""] * 6)
    console.print(table)
    small, large = args.small, args.large
    for label, wall, cpu in (
        ("no AI lines", no_ai, no_ai_cpu),
        ("with AI lines", with_ai, with_ai_cpu),
    ):
        ratio = (ms(wall[large]) - base) / max(ms(wall[small]) - base, 1.0)
        cpu_ratio = (ms(cpu[large]) - base_cpu) / max(ms(cpu[small]) - base_cpu, 1.0)
        console.print(
            f"{label}: with a {large:,}-record ledger the hooks cost {ratio:.2f}x (wall) and"
            f" {cpu_ratio:.2f}x (CPU) what they do with {small:,} records"
        )
    if against is not None:
        for label, wall, cpu in (
            ("no AI lines", no_ai, no_ai_cpu),
            ("with AI lines", with_ai, with_ai_cpu),
        ):
            now, then = ms(wall[small]) - base, ms(wall[PEER]) - base
            now_cpu, then_cpu = ms(cpu[small]) - base_cpu, ms(cpu[PEER]) - base_cpu
            console.print(
                f"{label}: the hooks add {now:.0f} ms wall ({now_cpu:.0f} ms CPU) here,"
                f" {then:.0f} ms ({then_cpu:.0f} ms CPU) with {args.against}"
            )
    console.print(f"last note: {len(note)} bytes, one line of JSON" if note else "no note!")
    console.print(
        f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after,"
        f" on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
