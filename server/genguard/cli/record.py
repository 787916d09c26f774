"""``genguard record``: an agent checkpoint (what an AI agent just wrote to disk).

``genguard record --tool T [--model M] [--prompt-hash H] FILE...`` attributes what
changed in each FILE since genguard last saw it to tool T. ``genguard record
--from claude-code|cursor|copilot`` reads the agent's hook JSON on stdin instead.

Exit status: 0 when recorded (or nothing to record), 2 on bad input (malformed
JSON, a path outside the repository, a prompt where a hash belongs) with nothing
recorded, 1 when the ledger cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genguard.cli.grammar import add_repo
from genguard.text.terminal import terminal_safe

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from genguard.agents.adapters import SOURCES

    parser = subparsers.add_parser(
        "record",
        help="record what an AI agent changed in files (agent checkpoint)",
        description=(
            "Attribute the lines that changed in FILE since genguard last recorded it "
            "(else since the index, else HEAD) to an AI tool, in the ledger. With --from, "
            "read the agent's hook JSON on stdin. Prompts are stored as SHA-256 only."
        ),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files the agent changed")
    parser.add_argument("--tool", help="the AI tool (required without --from)")
    parser.add_argument("--model", help="the model, if known")
    parser.add_argument(
        "--prompt-hash", metavar="SHA256", help="SHA-256 of the prompt (never the prompt)"
    )
    parser.add_argument(
        "--from",
        dest="source",
        choices=SOURCES,
        help="read the hook input of this agent from stdin",
    )
    add_repo(parser, chdir=True)
    parser.set_defaults(run=run)
    return parser


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(terminal_safe(f"genguard record: {message}"), file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from genguard.agents.adapters import AdapterError, parse
    from genguard.agents.record import Recorder, RecordError, normalize_prompt_hash
    from genguard.gitio.repo import user_email
    from genguard.gitio.run import Git, GitError, repo_paths
    from genguard.ledger import LedgerError

    cwd = Path.cwd()
    tool, model = args.tool, args.model
    texts_by_path: dict[str, list[str] | None] = {}
    event = None
    try:
        prompt_hash = normalize_prompt_hash(args.prompt_hash)
    except RecordError as exc:
        return _fail(str(exc))
    if args.source:
        if args.files:
            return _fail("give FILE arguments or --from, not both")
        try:
            event = parse(args.source, sys.stdin.buffer.read())
        except AdapterError as exc:
            return _fail(f"{args.source}: {exc}")
        if event.kind == "ignore":
            return EXIT_OK
        tool = tool or event.tool
        model = model or event.model
        if event.cwd:
            cwd = Path(event.cwd)
        for f in event.files:
            texts_by_path[f.path] = f.new_texts
    else:
        if not tool:
            return _fail("--tool is required (or --from AGENT with the hook JSON on stdin)")
        if not args.files:
            return _fail("name the FILEs the agent changed")
        texts_by_path = {f: None for f in args.files}
    git = Git(cwd if cwd.is_dir() else Path.cwd())
    try:
        paths = repo_paths(git)
    except GitError as exc:
        if event is not None:
            return EXIT_OK  # an agent working outside any repository: nothing to attribute
        return _fail(str(exc))
    from genguard.config import load_settings

    settings = load_settings(paths.top).settings
    if not settings.ledger.enabled:
        print(
            "genguard record: the ledger is off ([ledger] enabled = false); nothing recorded",
            file=sys.stderr,
        )
        return EXIT_OK
    recorder = Recorder(
        git, paths, actor=user_email(paths.top), max_bytes=settings.scan.max_file_bytes
    )
    if event is not None and event.kind == "prompt":
        if event.session and event.prompt_hash:
            recorder.remember_prompt(event.session, event.prompt_hash)
        return EXIT_OK
    rels: dict[str, list[str] | None] = {}
    outside = []
    for name, texts in texts_by_path.items():
        rel = recorder.relpath(name, cwd)
        if rel is None:
            outside.append(name)
        else:
            rels[rel] = texts
    if outside and event is None:
        return _fail("outside the repository " + str(paths.top) + ": " + ", ".join(outside))
    if not rels:
        return EXIT_OK
    if event is not None and event.kind == "snapshot":
        recorder.snapshot(list(rels))
        return EXIT_OK
    extra: dict[str, Any] = {}
    if event is not None:
        prompt_hash = prompt_hash or event.prompt_hash or recorder.prompt_for(event.session)
        for key in ("session", "generation", "event"):
            value = getattr(event, key)
            if value:
                extra[key] = value
    try:
        result = recorder.record(
            rels,
            tool=tool,
            model=model,
            prompt_hash=prompt_hash,
            source=args.source or "cli",
            extra=extra,
        )
    except RecordError as exc:
        return _fail(str(exc))
    except (LedgerError, OSError) as exc:
        return _fail(f"could not write the ledger: {exc}", EXIT_FAILED)
    if event is None:
        for f in result.files:
            print(
                terminal_safe(
                    f"{f.file}: {f.lines} AI lines in {len(f.chunks)} chunk(s) (since {f.baseline})"
                )
            )
        for note in result.skipped:
            print(terminal_safe(f"skipped {note}"), file=sys.stderr)
    return EXIT_OK
