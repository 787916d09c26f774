"""``genguard sbom --format cyclonedx [--output FILE] [--rev REV]``: an SBOM of AI provenance.

Every tracked file of REV (default HEAD) is a ``file`` component with its AI-written
share, AI lines, tools and models (from the commit notes, line by line through git
blame); the AI tools and models are components of their own. Exit status: 0, or 2
when the revision cannot be read, the output cannot be written or the SBOM library
is missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.markup import escape

from genguard.cli.grammar import add_repo
from genguard.cli.output import SafeConsole
from genguard.fileio import write_atomic

EXIT_OK = 0
EXIT_USAGE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "sbom",
        help="a CycloneDX 1.6 SBOM of the repository's files with their AI provenance",
        description=(
            "Write a CycloneDX 1.6 JSON SBOM: each tracked file of REV with its AI-written "
            "share, AI lines, tools and models (from genguard notes via git blame), and the "
            "AI tools and models as components."
        ),
    )
    parser.add_argument("--format", choices=("cyclonedx",), default="cyclonedx")
    parser.add_argument("--rev", default="HEAD", help="the revision described (default HEAD)")
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here (default: stdout)"
    )
    add_repo(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from genguard import __version__
    from genguard.gitio.history import GitError, resolve_repo
    from genguard.sbom import SbomMissing, build_bom, collect, to_json

    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    try:
        root = resolve_repo(args.repo)
        prov = collect(root, args.rev)
        text = to_json(build_bom(prov, genguard_version=__version__))
        if args.output is None:
            sys.stdout.write(text)
        else:
            write_atomic(args.output, text)
    except (GitError, OSError, SbomMissing) as exc:
        err.print(f"[red]genguard sbom:[/] {escape(str(exc))}")
        return EXIT_USAGE
    ai = sum(f.ai_lines for f in prov.files)
    lines = sum(f.lines for f in prov.files)
    where = "" if args.output is None else f" to {escape(str(args.output))}"
    err.print(
        f"SBOM of {prov.revision[:12]}{where}: {len(prov.files)} files, {ai} of {lines} lines "
        f"AI-written, {len(prov.tools)} AI tool(s), {len(prov.models)} model(s)"
    )
    for commit, why in sorted(prov.malformed_notes.items()):
        err.print(f"[yellow]![/] note on {commit[:12]} is malformed ({escape(why)}); read as human")
    return EXIT_OK
