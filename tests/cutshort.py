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
    ]
    indent = "    "
    for i in range(depth):
        lines.append(f"{indent}for i{i} in range(3):")
        indent += "    "
    lines += [f"{indent}q = q + str(i0) if i0 else q"] * 3
    lines.append("    os.system(q)")
    return "\n".join(lines) + "\n"


def nested_helper(name: str = "heavy", depth: int = DEEP) -> str:
    """A function passing its argument through ``depth`` nested loops: a caller's
    analysis that needs what it returns reaches the node limit in it."""
    lines = [f"def {name}(q):"]
    indent = "    "
    for i in range(depth):
        lines.append(f"{indent}for i{i} in range(3):")
        indent += "    "
    lines += [f"{indent}q = q + str(i0) if i0 else q"] * 3
    lines.append("    return q")
    return "\n".join(lines) + "\n"
