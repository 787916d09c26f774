"""``genguard gate``: judge the staged change or a revision range with an OPA Rego policy.

    genguard gate --policy rules/policies/soc2-change-control.rego [--staged]
    genguard gate --policy team.rego --fact tests_passed=true --fact coverage=87.5 main..HEAD
    genguard gate --print-input [--staged | REVRANGE]     # the input, for opa eval / conftest

The policy is evaluated in-process (regopy); ``data.genguard.deny`` is the set of
reasons to refuse. Exit status: 0 when deny is empty, 1 when it is not (the messages
are printed), 2 on bad usage, an unreadable change or a policy that does not compile.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.markup import escape

from genguard.cli.grammar import add_format, add_repo
from genguard.cli.output import SafeConsole, usage_error

EXIT_OK = 0
EXIT_DENIED = 1


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "gate",
        help="evaluate an OPA Rego policy over the staged change or a revision range",
        description=(
            "Build the input document (files, AI lines with tool/model/method/status, "
            "tools, models, review, findings with rule/CWE/severity/handling, protected "
            "paths, --fact values) for the staged change or REVRANGE and evaluate "
            "data.genguard.deny with the given Rego policies. Exit 1 when deny is not "
            "empty, 2 on a policy error."
        ),
    )
    parser.add_argument(
        "--policy",
        action="append",
        type=Path,
        default=[],
        metavar="FILE.rego",
        help="a Rego policy file or a directory of them (repeatable)",
    )
    parser.add_argument(
        "--fact",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a fact for the policy, e.g. tests_passed=true or coverage=87.5 (repeatable)",
    )
    parser.add_argument(
        "--staged", action="store_true", help="judge the staged change (the default)"
    )
    parser.add_argument("revrange", nargs="?", metavar="REVRANGE", help="e.g. main..HEAD")
    parser.add_argument(
        "--print-input", action="store_true", help="print the input document as JSON and exit"
    )
    add_format(parser)
    add_repo(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from genguard.policy import (
        FactError,
        InputError,
        PolicyError,
        evaluate,
        parse_facts,
        range_input,
        staged_input,
    )

    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)

    def fail(message: str) -> int:
        return usage_error("gate", message)

    if args.staged and args.revrange:
        return fail("give either --staged or a REVRANGE, not both")
    if not args.policy and not args.print_input:
        return fail("nothing to do: give --policy FILE.rego (or --print-input)")
    try:
        facts = parse_facts(args.fact)
    except FactError as exc:
        return fail(str(exc))
    try:
        if args.revrange:
            document = range_input(args.repo, args.revrange, facts)
        else:
            document = staged_input(args.repo, facts)
    except InputError as exc:
        return fail(str(exc))
    if args.print_input:
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    try:
        decision = evaluate(args.policy, document)
    except PolicyError as exc:
        return fail(str(exc))
    if args.format == "json":
        doc = {
            "allowed": decision.allowed,
            "deny": list(decision.deny),
            "policies": list(decision.policies),
            "mode": document["mode"],
            "range": document["range"],
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK if decision.allowed else EXIT_DENIED
    what = document["range"] or "the staged change"
    if decision.allowed:
        totals = document["totals"]
        err.print(
            f"genguard gate: {escape(what)} passes the policy "
            f"({totals['ai_lines']} AI-written of {totals['added_lines']} added lines)"
        )
        return EXIT_OK
    out = SafeConsole(highlight=False, soft_wrap=True)
    out.print(f"genguard gate: {escape(what)} is refused by the policy:")
    for message in decision.deny:
        out.print(f"  - {escape(message)}")
    return EXIT_DENIED
