"""``genguard verify``: check the ledger chain, the commit notes against it, and signatures.

Exit status: 0 when everything holds, 1 on any failure (the first one is named;
with ``--strict`` or ``[ledger] require_anchored``, records no note vouches for),
2 when there is neither a ledger nor any note to check, or the input is unusable.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from genguard.cli.grammar import add_format, add_repo
from genguard.cli.output import SafeConsole, config_errors, usage_error
from genguard.config import load_settings
from genguard.gitio.history import GitError
from genguard.gitio.repo import refusal, repo_root, user_email
from genguard.ledger.store import ledger_path
from genguard.ledger.verify import VerifyResult, verify
from genguard.report.audit import (
    Failure,
    LedgerIndex,
    NotesAudit,
    allowed_signers_file,
    anchoring,
    audit_notes,
    index_ledger,
    strict_failures,
    subjects,
)

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_NO_LEDGER = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "verify",
        help="check the ledger's hash chain, commit notes and their signatures",
        description=(
            "Recompute every record hash of the workspace ledger and check the chain; check "
            "that each commit note in REVRANGE (default: all of HEAD) points at records and "
            "chunks the ledger holds; verify note signatures against an allowed-signers file. "
            "Exit 0 if everything holds, 1 on any failure (with --strict, records no note "
            "vouches for too), 2 if there is no ledger and no note."
        ),
    )
    parser.add_argument(
        "targets",
        nargs="*",
        default=[],
        metavar="PATH|REVRANGE",
        help="workspace directory (default: current directory) and/or a revision range",
    )
    parser.add_argument(
        "--ledger",
        metavar="PATH",
        type=Path,
        help="verify this ledger file instead of the workspace's",
    )
    parser.add_argument(
        "--allowed-signers",
        metavar="FILE",
        type=Path,
        help="ssh allowed-signers file (default: [signing] allowed_signers in the genguard "
        "config, then git's gpg.ssh.allowedSignersFile)",
    )
    parser.add_argument(
        "--require-signatures",
        action="store_true",
        help="count unsigned or unverifiable notes as failures",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on ledger records no commit note vouches for (uncommitted work, a cut "
        "tail); [ledger] require_anchored = true makes this the default",
    )
    add_format(parser)
    add_repo(parser, chdir=True)
    parser.set_defaults(run=run)
    return parser


def _print_result(console: Console, ledger: Path, result: VerifyResult) -> None:
    where = escape(str(ledger))
    if result.ok:
        noun = "record" if result.count == 1 else "records"
        console.print(f"[green]✓[/] chain holds: {result.count} {noun} checked")
        console.print(f"  ledger: {where}")
        console.print(f"  head:   {result.head or '(empty ledger)'}")
        if result.torn_tail:
            console.print(
                "[yellow]![/] the last line is torn (an interrupted write); "
                "the next append sets it aside"
            )
        return
    seq = "?" if result.seq is None else str(result.seq)
    console.print(
        f"[red]✗[/] chain broken at line {result.first_bad} (seq {seq}): "
        f"{escape(result.reason or 'unknown')}"
    )
    console.print(f"  ledger: {where}")
    console.print(f"  {result.count} records verified before the break")
    if result.head:
        console.print(f"  last good hash: {result.head}")


def _name(failure: Failure, names: dict[str, str]) -> str:
    if failure.commit is None:
        seq = "?" if failure.seq is None else str(failure.seq)
        return (
            f"ledger seq {seq}"
            if failure.line is None
            else f"ledger line {failure.line} (seq {seq})"
        )
    subject = names.get(failure.commit)
    return f"commit {failure.commit[:10]}" + (f" ({escape(subject)})" if subject else "")


def _print_notes(console: Console, audit: NotesAudit, ledger_present: bool, required: bool) -> None:
    if audit.commits == 0:
        return
    bad = {f.commit for f in audit.failures if f.commit is not None}
    mark = "[red]✗[/]" if bad else "[green]✓[/]"
    console.print(
        f"{mark} notes: {audit.noted} of {audit.commits} commits in {escape(audit.revrange)} "
        f"carry a genguard note; {audit.noted - len(bad)} hold"
    )
    if audit.unnoted:
        console.print(f"  {audit.unnoted} commit(s) without a note (genguard did not run)")
    if not ledger_present and audit.ledger_refs_unchecked:
        console.print(
            f"[yellow]![/] no ledger here: the ledger links of {audit.ledger_refs_unchecked} "
            "note(s) were not checked (the ledger stays in the clone that recorded it)"
        )
    if audit.foreign_notes:
        console.print(
            f"[yellow]![/] {audit.foreign_notes} note(s) by authors who do not act in this "
            "ledger (written in another clone): their ledger links were not checked"
        )
    s = audit.signatures
    if audit.noted:
        parts = [f"{n} {k}" for k, n in s.items() if n]
        console.print(f"  signatures: {', '.join(parts) or 'none'}")
    if s["unsigned"] and not required:
        console.print(
            f"[yellow]![/] {s['unsigned']} note(s) are not signed: nothing proves who wrote "
            "them (--require-signatures makes this a failure)"
        )
    if s["unchecked"] and not required:
        console.print(
            f"[yellow]![/] {s['unchecked']} signed note(s) could not be checked: give "
            "--allowed-signers FILE, or set [signing] allowed_signers or "
            "gpg.ssh.allowedSignersFile"
        )
    elif audit.allowed_signers and (s["valid"] or s["invalid"]):
        console.print(f"  allowed signers: {escape(audit.allowed_signers)}")
    for w in audit.warnings:
        console.print(f"[yellow]![/] {escape(w)}")


def _print_anchoring(console: Console, anchor: NotesAudit, total: int, strict: bool) -> None:
    """What the notes vouch for in the ledger: said every time, never left to be inferred
    from a missing line (docs/provenance.md, "What the chain proves")."""
    last = anchor.last_anchored_seq
    where = "no commit note anchors the ledger" if last is None else f"last anchored: seq {last}"
    mark = "[red]✗[/]" if strict else "[yellow]![/]"
    cut = len(anchor.unrecorded_notes)
    if cut:
        console.print(
            f"{mark} {cut} note(s) written here have no commit.noted record in the ledger: "
            "its tail may have been cut"
        )
    n = anchor.unvouched_records
    if not n and not cut:
        pinned = anchor.pinned_records
        tail = f", then {pinned} commit record(s) of notes that exist and match" if pinned else ""
        console.print(f"  every record is vouched for by a commit note ({where}{tail})")
        return
    if n:
        console.print(
            f"{mark} {n} of {total} ledger records are vouched for by no commit note ({where}): "
            "work not committed yet, or a tail that could be cut unnoticed"
        )
    if not strict:
        then = "; committing the work anchors them" if n else ""
        console.print(
            f"  not a failure unless --strict (or \\[ledger] require_anchored){then} "
            "(docs/provenance.md)"
        )


def _split_targets(targets: list[str]) -> tuple[Path, str | None]:
    """A directory is the workspace; anything else is the revision range."""
    workspace: Path | None = None
    revrange: str | None = None
    for t in targets:
        if workspace is None and Path(t).is_dir():
            workspace = Path(t)
        elif revrange is None:
            revrange = t
        else:
            raise ValueError(f"unexpected argument {t!r} (give at most a PATH and a REVRANGE)")
    return workspace or Path("."), revrange


def _usage_error(args: argparse.Namespace, message: str) -> int:
    return usage_error("verify", message, as_json=args.format == "json")


def run(args: argparse.Namespace) -> int:
    try:
        workspace, revrange = _split_targets(args.targets)
    except ValueError as exc:
        return _usage_error(args, str(exc))
    root = repo_root(workspace)
    if root is None:
        refused = refusal(workspace)  # git refuses it: not a plain folder either
        if refused is not None:
            return _usage_error(args, refused)
    if root is None and revrange is not None:
        return _usage_error(args, f"{workspace} is not in a git repository; no notes to check")
    ledger: Path = args.ledger if args.ledger is not None else ledger_path(workspace)
    loaded = load_settings(root or workspace.absolute())
    broken = config_errors("verify", loaded.problems, "verify again")
    if broken is not None:
        return broken
    strict = args.strict or loaded.settings.ledger.require_anchored
    index: LedgerIndex = index_ledger(ledger, user_email(root) if root else None)
    if args.allowed_signers is not None and not args.allowed_signers.is_file():
        return _usage_error(args, f"allowed-signers file {args.allowed_signers} does not exist")
    audit: NotesAudit | None = None
    if root is not None:
        allowed = allowed_signers_file(root, args.allowed_signers)
        if allowed is not None and not allowed.is_file():
            return _usage_error(args, f"allowed-signers file {allowed} does not exist")
        try:
            audit = audit_notes(
                root,
                revrange,
                index,
                allowed_signers=allowed,
                require_signatures=args.require_signatures,
            )
        except GitError as exc:
            return _usage_error(args, str(exc))
    ledger_present = ledger.is_file()
    if not ledger_present and (audit is None or audit.noted == 0):
        if args.format == "json":
            print(json.dumps({"error": "no ledger", "ledger": str(ledger)}))
        else:
            SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(
                f"[red]no ledger[/] at {escape(str(ledger))}: genguard has not recorded "
                "anything for this workspace yet (or --ledger points elsewhere)"
            )
        return EXIT_NO_LEDGER

    result = verify(ledger) if ledger_present else None
    failures: list[Failure] = []
    if result is not None and not result.ok:
        failures.append(
            Failure(
                "ledger", result.reason or "chain broken", line=result.first_bad, seq=result.seq
            )
        )
    if audit is not None:
        failures.extend(audit.failures)
    anchor = audit if audit is not None else NotesAudit(revrange="")
    if audit is None:
        anchoring(None, index, anchor)
    if strict:
        failures.extend(strict_failures(anchor))
    ok = not failures
    names = subjects(root, [f.commit for f in failures if f.commit]) if root else {}

    if args.format == "json":
        ledger_doc = (
            result.to_dict() if result is not None else {"count": 0, "head": None, "ok": None}
        )
        doc = {
            **ledger_doc,
            "ledger_ok": None if result is None else result.ok,
            "ok": ok,
            "ledger": str(ledger),
            "ledger_present": ledger_present,
            "notes": None if audit is None else audit.to_dict(),
            "strict": strict,
            "unanchored_records": anchor.unanchored_records,
            "unvouched_records": anchor.unvouched_records,
            "failures": [f.to_dict() for f in failures],
            "first_failure": failures[0].to_dict() if failures else None,
        }
        print(json.dumps(doc, ensure_ascii=False))
        return EXIT_OK if ok else EXIT_BROKEN

    out = SafeConsole(highlight=False, soft_wrap=True)
    if result is not None:
        _print_result(out, ledger, result)
        if result.ok:
            _print_anchoring(out, anchor, result.count, strict)
    else:
        out.print(f"[yellow]![/] no ledger at {escape(str(ledger))}")
    if audit is not None:
        _print_notes(out, audit, ledger_present, args.require_signatures)
    for f in failures:
        if f.kind != "ledger":
            out.print(f"[red]✗[/] {_name(f, names)}: {escape(f.reason)}")
    if failures:
        first = failures[0]
        out.print(f"[red]first failure:[/] {_name(first, names)}: {escape(first.reason)}")
    return EXIT_OK if ok else EXIT_BROKEN
