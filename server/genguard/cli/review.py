"""``genguard review``: list unreviewed AI chunks, or mark them reviewed, from a terminal.

    genguard review                      list the unreviewed chunks in the staged changes
    genguard review CHUNK [CHUNK...]     mark these chunks reviewed (an id or a unique prefix)
    genguard review --file PATH          mark every unreviewed chunk of PATH reviewed
    genguard review --staged             mark every unreviewed chunk in the staged changes

The review is recorded as the editor records it (a ``chunk.reviewed`` ledger event
naming the reviewer: ``reviewer`` from the configuration, else git's user.email),
with ``--note`` kept beside it. Exit 0 on success (listing included), 2 when the
command cannot run as asked (outside git, a repository git refuses, a broken
configuration, an unknown chunk).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genguard.cli.grammar import add_format, add_repo

if TYPE_CHECKING:
    from genguard.attribution.state import ChunkState
    from genguard.hooks.context import HookContext

EXIT_OK = 0
EXIT_USAGE = 2


class ReviewError(ValueError):
    """A chunk or file that cannot be reviewed as asked (unknown, ambiguous)."""


@dataclass(slots=True)
class PendingChunk:
    """An unreviewed AI chunk with lines in the staged changes.

    ``lines`` are 1-based numbers in the staged content; ``findings`` the rule
    ids the gate raises on its lines; ``live`` is False for lines carried from
    another commit's note (a squash or cherry-pick), which the ledger cannot mark.
    """

    chunk: str
    file: str
    tool: str
    model: str | None
    lines: list[int] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    live: bool = True

    def to_dict(self) -> dict[str, Any]:
        from genguard.hooks.gate import line_groups

        return {
            "chunk": self.chunk,
            "file": self.file,
            "lines": line_groups(self.lines),
            "tool": self.tool,
            "model": self.model,
            "findings": list(self.findings),
            "can_mark": self.live,
        }


def staged_pending(ctx: HookContext, *, with_findings: bool = True) -> list[PendingChunk]:
    """The unreviewed chunks that own lines of the staged changes, as the gate sees them
    (its attribution, and its findings on their lines)."""
    from genguard.gitio.run import blob_reader
    from genguard.hooks.findings import check_in
    from genguard.hooks.gate import staged_attribution

    attribution, _diffs = staged_attribution(ctx, amend=False)
    chunks = ctx.chunks()
    pending: dict[tuple[str, str], PendingChunk] = {}
    for fa in attribution.ai_files():
        for n, owner in sorted(fa.owners.items()):
            if owner.status == "reviewed":
                continue
            item = pending.get((fa.path, owner.chunk))
            if item is None:
                state = chunks.get(owner.chunk)
                live = state is not None and not state.ended
                item = PendingChunk(owner.chunk, fa.path, owner.tool, owner.model, live=live)
                pending[(fa.path, owner.chunk)] = item
            item.lines.append(n)
    if with_findings and pending and attribution.ai_lines:
        result = check_in(ctx, attribution, blob_reader(ctx.git, ""))
        for f in result.findings:
            if f.owner is None or f.handling != "open":
                continue
            item = pending.get((f.file, f.owner.chunk))
            if item is not None and f.rule_id not in item.findings:
                item.findings.append(f.rule_id)
    return sorted(pending.values(), key=lambda p: (p.file, p.lines[0] if p.lines else 0))


def resolve(ctx: HookContext, wanted: list[str]) -> list[ChunkState]:
    """Live chunks named by id (or a unique prefix of one)."""
    live = [c for c in ctx.chunks().values() if not c.ended]
    out: list[ChunkState] = []
    for name in wanted:
        hits = [c for c in live if c.id == name] or [c for c in live if c.id.startswith(name)]
        if not hits:
            raise ReviewError(f"no live AI chunk {name!r} (see `genguard review` for the list)")
        if len(hits) > 1:
            raise ReviewError(f"{name!r} names {len(hits)} chunks; give more of the id")
        out.append(hits[0])
    return out


def _content_hash(ctx: HookContext, chunk: ChunkState) -> str | None:
    """Hash of the chunk's lines as they are now in the working tree (as the editor hashes
    the chunk's text); None when the file cannot be read or none of its lines is left."""
    from genguard.attribution.linehash import line_hash
    from genguard.ledger.records import hash_text

    try:
        data = (ctx.root / chunk.file).read_bytes()
    except OSError:
        return None
    wanted = set(chunk.line_hashes)
    rows = data.split(b"\n")
    hits = [i for i, row in enumerate(rows) if line_hash(row) in wanted]
    if not hits:
        return None
    return hash_text(b"\n".join(rows[hits[0] : hits[-1] + 1]))


def mark(
    ctx: HookContext, chunks: list[ChunkState], who: str, note: str | None = None
) -> list[ChunkState]:
    """Record ``chunk.reviewed`` for each chunk not reviewed yet, as the editor records
    it (:mod:`genguard.ledger.events`); returns those marked."""
    from genguard.ledger.events import chunk_ref, chunk_state

    done: list[ChunkState] = []
    for c in chunks:
        if c.status == "reviewed":
            continue
        data = chunk_state(
            chunk_ref(c.id, c.file, c.lines),
            tool=c.tool,
            model=c.model,
            method=c.method,
            kind=c.kind,
            status="reviewed",
            reviewer=who,
            line_hashes=c.line_hashes,
        )
        data.update(
            content_hash=_content_hash(ctx, c), human_edited_share=c.human_edited_share, via="cli"
        )
        if note:
            data["note"] = note.strip()
        ctx.append("chunk.reviewed", data)
        c.status, c.reviewer = "reviewed", who
        done.append(c)
    return done


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "review",
        help="list unreviewed AI chunks, or mark chunks reviewed (no editor needed)",
        description=(
            "Without arguments, list the unreviewed AI chunks in the staged changes "
            "(file:lines, tool, model, findings). With CHUNK ids, --file or --staged, mark "
            "those chunks reviewed, recorded in the ledger as the editor records it."
        ),
    )
    parser.add_argument("chunks", nargs="*", metavar="CHUNK", help="chunk ids (or unique prefixes)")
    add_repo(parser)
    parser.add_argument("--file", dest="files", action="append", default=[], metavar="PATH",
                        help="mark every unreviewed chunk of this file (repeatable)")  # fmt: skip
    parser.add_argument(
        "--staged", action="store_true", help="mark every unreviewed chunk in the staged changes"
    )
    parser.add_argument("--note", metavar="TEXT", help="a note kept with the review")
    add_format(parser)
    parser.set_defaults(run=run)
    return parser


def _error(message: str) -> int:
    sys.stderr.write(f"genguard review: {message}\n")
    return EXIT_USAGE


def _relative(root: Path, path: str) -> str | None:
    p = Path(path)
    p = p if p.is_absolute() else Path.cwd() / p
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def run(args: argparse.Namespace) -> int:
    from genguard.cli.output import config_errors
    from genguard.gitio import repo_root
    from genguard.gitio.repo import refusal
    from genguard.hooks.context import HookContext
    from genguard.hooks.gate import line_groups

    where = args.repo.absolute()
    root = repo_root(where)
    if root is None:
        return _error(refusal(where) or f"{where} is not inside a git repository")
    ctx = HookContext.discover(root)
    # what is unreviewed, its findings and who reviews follow the configuration: never
    # list or mark under defaults the user did not choose
    broken = config_errors("review", ctx.problems, "run the review again")
    if broken is not None:
        return broken
    marking = bool(args.chunks or args.files or args.staged)
    if not marking:
        pending = staged_pending(ctx)
        if args.format == "json":
            sys.stdout.write(json.dumps({"unreviewed": [p.to_dict() for p in pending]}, indent=2))
            sys.stdout.write("\n")
            return EXIT_OK
        if not pending:
            print("No unreviewed AI-written code in the staged changes.")
            return EXIT_OK
        print(f"Unreviewed AI-written code in the staged changes ({len(pending)} chunks):")
        for p in pending:
            model = f":{p.model}" if p.model else ""
            found = f"; findings: {', '.join(p.findings)}" if p.findings else ""
            carried = "" if p.live else " (carried from another commit's note)"
            print(f"  {p.file}:{line_groups(p.lines)}  {p.chunk}  {p.tool}{model}{found}{carried}")
        print()
        print("Mark them reviewed once you have read them: `genguard review --staged`,")
        print("or one chunk with `genguard review CHUNK`, or a file with `--file PATH`.")
        return EXIT_OK

    try:
        targets = resolve(ctx, args.chunks)
        for path in args.files:
            rel = _relative(root, path)
            if rel is None:
                return _error(f"{path} is outside the repository {root}")
            found = [c for c in ctx.live().get(rel, []) if c.status != "reviewed"]
            if not found:
                print(f"{rel}: no unreviewed AI chunk")
            targets += found
        if args.staged:
            pending = staged_pending(ctx, with_findings=False)
            targets += resolve(ctx, [p.chunk for p in pending if p.live])
            for p in pending:
                if not p.live:
                    print(
                        f"{p.file}:{p.lines[0]}: chunk {p.chunk} came from another commit's "
                        "note and cannot be marked here"
                    )
    except ReviewError as exc:
        return _error(str(exc))
    unique = list({c.id: c for c in targets}.values())
    who = ctx.settings.reviewer or ctx.email  # as the editor names the reviewer
    done = mark(ctx, unique, who, args.note)
    if args.format == "json":
        out = {"reviewer": who, "reviewed": [{"chunk": c.id, "file": c.file} for c in done]}
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return EXIT_OK
    for c in done:
        print(f"reviewed {c.file} chunk {c.id} ({c.tool}) as {who}")
    if not done:
        print("nothing to mark: the chunks named are reviewed already")
    return EXIT_OK
