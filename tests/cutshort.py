"""Code whose check is cut short on every machine, for the tests of incomplete checks.

The taint analysis follows each loop body twice, so loops nested ``depth`` deep
evaluate their innermost statements 2**depth times: at the default depth the
analysis reaches its node limit (``taint.core.MAX_VISITS``), a count rather than
a clock, before it reaches the sink after the loops, under a report's budget (an
editor's, sized for a keystroke, stops it by the clock well before). A few levels
shallower, the same function is analysed to the end and its flow to ``os.system``
is found.

A repository rule (:data:`MATCH_LIMIT_RULE`) meets its match limit, a count, in a
block of many statements (:func:`long_block`) on every check and every machine.
"""

from __future__ import annotations

DEEP = 14
"""Nesting that exceeds the node limit (12 does not)."""


def nested_loops(depth: int = DEEP, *, name: str = "handler") -> str:
    """A Flask handler passing request data through ``depth`` nested loops to a shell."""
    lines = [
        "import os",
        "from flask import request",
        "",
        "",
        f"def {name}():",
        "    q = request.args['q']",
        *_loops(depth),
        "    os.system(q)",
    ]
    return "\n".join(lines) + "\n"


def nested_helper(name: str = "heavy", depth: int = DEEP) -> str:
    """A function passing its argument through ``depth`` nested loops: a caller's
    analysis that needs what it returns reaches the node limit in it."""
    return "\n".join([f"def {name}(q):", *_loops(depth), "    return q"]) + "\n"


def _loops(depth: int) -> list[str]:
    """``q`` passed through ``depth`` nested loops, in a function body."""
    lines = [f"{'    ' * (i + 1)}for i{i} in range(3):" for i in range(depth)]
    return lines + [f"{'    ' * (depth + 1)}q = q + str(i0) if i0 else q"] * 3


MATCH_LIMIT_RULE = """\
rules:
  - id: acme-return-after-statement
    languages: [python]
    severity: info
    message: A return after other statements
    query: |
      (block (expression_statement) @first (return_statement) @match)
"""
"""A repository rule (``.genguard/rules/*.yaml``) whose matches in progress pass a
repository rule's limit (``rules.matcher.UNTRUSTED_MATCH_LIMIT``) in :func:`long_block`:
every statement of the block starts one, waiting for the return."""


def long_block(name: str = "long", statements: int = 40) -> str:
    """A function of ``statements`` statements, then a return."""
    body = [f"    x{i} = q" for i in range(statements)]
    return "\n".join([f"def {name}(q):", *body, "    return q"]) + "\n"
