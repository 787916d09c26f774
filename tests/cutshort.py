"""Code whose check is cut short on every machine, for the tests of incomplete checks.

The taint analysis follows each loop body twice, so loops nested ``depth`` deep
evaluate their innermost statements 2**depth times: at the default depth the
analysis reaches its node limit (``taint.core.MAX_VISITS``), a count rather than
a clock, before it reaches the sink after the loops. A few levels shallower, the
same function is analysed to the end and its flow to ``os.system`` is found.
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
