"""Helpers for provenance-report tests: commits and notes in real git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import git

from genguard.cli import main as cli_main
from genguard.gitio.notes import write_note
from genguard.notes.format import AiRange, FileEntry, Note, NoteFinding

#: The commands under test; wired alone so a half-finished sibling command cannot break them.
REPORT_COMMANDS = ("verify", "blame", "stats", "export", "import")
#: What ``genguard`` itself registers, read before any test narrows it.
REGISTERED_COMMANDS = cli_main.COMMANDS


@pytest.fixture(autouse=True)
def report_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_main, "COMMANDS", REPORT_COMMANDS)


def cli(*argv: str) -> int:
    return cli_main.main(list(argv))


def commit(repo: Path, files: dict[str, str | None], message: str = "change") -> str:
    """Write (or delete, for None) ``files``, commit everything, return the new sha."""
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


def ai(start: int, end: int, chunk: str, tool: str = "copilot", **kw: object) -> AiRange:
    return AiRange(start=start, end=end, chunk=chunk, tool=tool, **kw)  # type: ignore[arg-type]


def add_note(
    repo: Path,
    sha: str,
    files: dict[str, tuple[int, list[AiRange]]],
    *,
    findings: list[NoteFinding] | None = None,
    **kw: object,
) -> Note:
    """Attach a genguard note; ``files[path] = (added_lines, ranges)``."""
    entries = {
        path: FileEntry(added_lines=added, ai_lines=sum(r.lines for r in ranges), ranges=ranges)
        for path, (added, ranges) in files.items()
    }
    note = Note(
        commit=sha,
        created="2026-11-27T09:30:00.000Z",
        files=entries,
        findings=findings or [],
        **kw,  # type: ignore[arg-type]
    )
    note.compute_totals()
    write_note(repo, sha, note)
    return note


def replace_note_text(repo: Path, sha: str, text: str, ref: str = "refs/notes/genguard") -> None:
    """Overwrite a note with arbitrary text (what tampering or another tool would do)."""
    tmp = repo.parent / "note.txt"
    tmp.write_text(text)
    git(repo, "notes", "--ref", ref, "add", "-f", "-F", str(tmp), sha)
