"""``genguard evidence``: an audit evidence bundle for a period, and its offline check.

    genguard evidence -o DIR [--since DATE] [--until DATE] [REVRANGE]
    genguard evidence verify DIR [--allowed-signers FILE] [--require-signatures]

Exit status of the bundle: 0 written, 2 bad input (dates, range, a directory
that already holds files); nothing is written then. Of ``verify``: 0 when the
bundle holds, 1 on any mismatch (each one named), 2 when DIR or the
allowed-signers file does not exist.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.markup import escape

from genguard.cli.grammar import add_format, add_output, add_repo, hidden
from genguard.cli.output import SafeConsole, usage_error

EXIT_OK = 0
EXIT_MISMATCH = 1

USAGE = (
    "genguard evidence -o DIR [--since DATE] [--until DATE] [REVRANGE] [options]\n"
    "       genguard evidence verify DIR [--allowed-signers FILE] [--require-signatures]\n"
    "                                [--format json]"
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "evidence",
        help="audit evidence for a period (report, per-commit CSV, controls, signed manifest)",
        usage=USAGE,
        description=(
            "Write an evidence bundle for the commits of REVRANGE (default HEAD) whose committer "
            "date falls between --since and --until (UTC, inclusive; a date alone is the whole "
            "day) to the new directory -o/--output: report.html (offline, charts inline), "
            "changes.csv (one row per commit), controls.json, manifest.json (SHA-256 of each "
            "file) and statement.intoto.json (in-toto Statement v1 in a DSSE envelope, signed with "
            "ssh-keygen when a signing key is configured). 'genguard evidence verify DIR' "
            "re-checks a bundle offline."
        ),
    )
    parser.add_argument(
        "words", nargs="*", metavar="REVRANGE | verify DIR", help="a revision range, or verify DIR"
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="first day of the period (YYYY-MM-DD; default: the first commit with a note)",
    )
    parser.add_argument(
        "--until", metavar="DATE", help="last day of the period (YYYY-MM-DD; default: now)"
    )
    add_output(parser, metavar="DIR", help="new directory for the bundle")
    add_repo(parser)
    parser.add_argument("--ledger", metavar="PATH", type=Path, help="ledger file to read")
    parser.add_argument(
        "--key",
        metavar="FILE",
        type=Path,
        help="SSH key to sign with (default: [signing] key, else git's SSH user.signingkey)",
    )
    parser.add_argument("--no-sign", action="store_true", help="do not sign the statement")
    parser.add_argument(
        "--allowed-signers",
        metavar="FILE",
        type=Path,
        help="verify: ssh allowed-signers file (default: [signing] allowed_signers, then "
        "git's gpg.ssh.allowedSignersFile, when run inside a repository)",
    )
    hidden(parser, "--require-signature", dest="require_signatures", action="store_true")
    parser.add_argument(
        "--require-signatures",
        action="store_true",
        help="verify: an unsigned bundle, or a signature that cannot be checked, is a mismatch",
    )
    add_format(parser)
    parser.set_defaults(run=run)
    return parser


def _error(args: argparse.Namespace, message: str) -> int:
    return usage_error("evidence", message, as_json=args.format == "json")


def run(args: argparse.Namespace) -> int:
    words: list[str] = list(args.words)
    if words and words[0] == "verify":
        if len(words) != 2:
            return _error(args, "usage: genguard evidence verify DIR")
        stray = [
            o
            for o, v in (
                ("--since", args.since),
                ("--until", args.until),
                ("-o/--output", args.output),
            )
            if v is not None
        ]
        if stray:
            return _error(args, f"{', '.join(stray)} do not apply to 'evidence verify'")
        return run_verify(args, Path(words[1]))
    if len(words) > 1:
        return _error(args, f"unexpected arguments {words[1:]} (give at most one REVRANGE)")
    if args.output is None:
        return _error(args, "-o/--output required (a new directory for the bundle)")
    return run_bundle(args, words[0] if words else None)


def _signing(args: argparse.Namespace, root: Path) -> Any:
    from genguard.evidence.bundle import Signing, configured_key, probe

    if args.no_sign:
        return Signing(reason="signing was turned off (--no-sign)")
    if args.key is not None:
        return probe(Signing(key=args.key.expanduser(), source="--key"))
    return probe(configured_key(root))


def _default_period(
    args: argparse.Namespace, root: Path, revrange: str | None
) -> tuple[str, str, list[str]]:
    """--since and --until, defaulted: from the first commit with a genguard note (before
    it genguard saw nothing) up to now. Returns what was defaulted, to say so."""
    from datetime import UTC, datetime

    from genguard.evidence import PeriodError
    from genguard.evidence.collect import first_noted
    from genguard.evidence.period import iso

    since, until, defaulted = args.since, args.until, []
    if since is None:
        first = first_noted(root, revrange)
        if first is None:
            raise PeriodError("no commit has a genguard note yet: give --since DATE")
        since = iso(first)
        defaulted.append(f"--since {since[:10]} (the first commit with a genguard note)")
    if until is None:
        until = iso(datetime.now(UTC))
        defaulted.append(f"--until {until[:10]} (now)")
    return since, until, defaulted


def run_bundle(args: argparse.Namespace, revrange: str | None) -> int:
    from genguard.evidence import BundleError, PeriodError, collect, parse_period, write_bundle
    from genguard.gitio.history import GitError, resolve_repo

    if args.ledger is not None and not args.ledger.is_file():
        return _error(args, f"ledger {args.ledger} does not exist")
    if args.key is not None and args.no_sign:
        return _error(args, "--key and --no-sign contradict each other")
    try:
        root = resolve_repo(args.repo)
        since, until, defaulted = _default_period(args, root, revrange)
        period = parse_period(since, until)
        evidence = collect(root, period, revrange, ledger=args.ledger)
    except (PeriodError, GitError) as exc:
        return _error(args, str(exc))
    signing = _signing(args, root)
    if args.key is not None and not signing.signed:
        return _error(args, signing.reason)
    try:
        result = write_bundle(evidence, args.output, signing)
    except (BundleError, OSError) as exc:
        return _error(args, str(exc))
    finally:
        if signing.temporary and signing.key is not None:
            signing.key.unlink(missing_ok=True)
    summary = result.figures.summary() if result.figures else {}
    if args.format == "json":
        doc = {
            "out": str(result.path),
            "period": {**period.to_dict(), "defaulted": defaulted},
            "range": evidence.range_dict(),
            "files": result.files,
            "signing": result.signing.to_dict(),
            "controls_source": result.controls_source,
            "summary": summary,
            "warnings": evidence.warnings,
        }
        print(json.dumps(doc, ensure_ascii=False))
        return EXIT_OK
    out = SafeConsole(highlight=False, soft_wrap=True)
    if defaulted:
        out.print(f"period defaulted: {escape(', '.join(defaulted))}")
    p = period.to_dict()
    out.print(
        f"[green]✓[/] evidence for {p['since']} to {p['until']}: {summary.get('commits', 0)} "
        f"commit(s), {summary.get('noted_commits', 0)} with a genguard note, "
        f"{summary.get('bypassed_commits', 0)} bypassed"
    )
    out.print(f"  written to {escape(str(result.path))}")
    for name, digest in result.files.items():
        out.print(f"  {name:<22} sha256 {digest}")
    if result.signing.signed:
        out.print(f"  signed with {result.signing.keyid} ({escape(result.signing.source)})")
    else:
        out.print(f"[yellow]![/] not signed: {escape(result.signing.reason)}")
    for w in evidence.warnings:
        out.print(f"[yellow]![/] {escape(w)}")
    return EXIT_OK


def _allowed(args: argparse.Namespace) -> Path | None:
    """``--allowed-signers``, else the repository's configured file when run inside one."""
    if args.allowed_signers is not None:
        return args.allowed_signers
    from genguard.gitio.repo import repo_root
    from genguard.report.audit import allowed_signers_file

    root = repo_root(args.repo)
    return allowed_signers_file(root) if root is not None else None


def run_verify(args: argparse.Namespace, directory: Path) -> int:
    from genguard.evidence import verify_bundle

    if not directory.is_dir():
        return _error(args, f"{directory} is not a directory (an evidence bundle is a directory)")
    allowed = _allowed(args)
    if allowed is not None and not allowed.is_file():
        return _error(args, f"allowed-signers file {allowed} does not exist")
    check = verify_bundle(directory, allowed, require_signature=args.require_signatures)
    if args.format == "json":
        print(json.dumps(check.to_dict(), ensure_ascii=False))
        return EXIT_OK if check.ok else EXIT_MISMATCH
    out = SafeConsole(highlight=False, soft_wrap=True)
    where = escape(str(directory))
    if check.files_checked:
        out.print(f"  manifest: {len(check.files_checked)} file(s) checked")
    if check.subjects_checked:
        out.print(f"  statement: {len(check.subjects_checked)} subject(s) checked")
    s = check.signatures
    if check.signed:
        parts = [f"{n} {k}" for k, n in s.items() if n]
        signers = f" by {', '.join(check.signers)}" if check.signers else ""
        out.print(f"  signatures: {', '.join(parts)}{escape(signers)}")
    for notice in check.notices:
        out.print(f"[yellow]![/] {escape(notice)}")
    for p in check.problems:
        out.print(f"[red]✗[/] {escape(p.file)}: {escape(p.reason)}")
    if check.ok:
        out.print(f"[green]✓[/] the bundle in {where} holds")
        return EXIT_OK
    out.print(f"[red]✗[/] the bundle in {where} does not hold: {len(check.problems)} mismatch(es)")
    return EXIT_MISMATCH
