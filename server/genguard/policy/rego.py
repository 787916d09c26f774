"""Evaluate OPA Rego policies in-process (regopy, the rego-cpp interpreter).

A policy is ``package genguard`` with a ``deny`` set of messages; an empty set lets
the change through. In-process evaluation means no ``opa`` binary to install or
keep in sync, and the same input document can be fed to ``opa eval`` or conftest
(``genguard gate --print-input``) when a team prefers those.

The interpreter prints its diagnostics on the process's own stdout; they are
captured at the file-descriptor level around each call and turned into the
:class:`PolicyError` message, so they never mix with a command's output.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genguard.extras import install_hint

DENY_QUERY = "data.genguard.deny"
POLICY_SUFFIX = ".rego"
_LOCK = threading.Lock()  # file descriptors 1 and 2 are process-wide


class PolicyError(ValueError):
    """The policy cannot be evaluated: missing file, syntax error, wrong shape of deny."""


class RegoMissing(PolicyError):
    """regopy is not installed."""


@dataclass(frozen=True, slots=True)
class Decision:
    """The messages of ``data.genguard.deny`` (sorted); allowed when there are none."""

    deny: tuple[str, ...]
    policies: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        return not self.deny


def shipped_policy(name: str) -> Path | None:
    """A policy shipped with genguard, by name (``soc2-change-control``)."""
    from genguard.cache.rules import builtin_rules_dir

    stem = name.removesuffix(POLICY_SUFFIX)
    if not stem or "/" in stem or "\\" in stem:
        return None
    path = builtin_rules_dir() / "policies" / f"{stem}{POLICY_SUFFIX}"
    return path if path.is_file() else None


def policy_files(paths: Sequence[Path]) -> list[Path]:
    """Each ``.rego`` file named, or found (recursively) in a directory named; a name that
    is no file here but a policy genguard ships (``soc2-change-control``) is that policy."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.exists() and (shipped := shipped_policy(str(p))) is not None:
            p = shipped
        if p.is_dir():
            found = sorted(f for f in p.rglob(f"*{POLICY_SUFFIX}") if f.is_file())
            if not found:
                raise PolicyError(f"{p}: no {POLICY_SUFFIX} files in this directory")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise PolicyError(f"{p}: no such policy file")
    return list(dict.fromkeys(out))


@contextmanager
def _captured() -> Iterator[list[str]]:
    """Collect what native code writes to fds 1 and 2 while the block runs."""
    sink: list[str] = []
    with _LOCK, tempfile.TemporaryFile() as tmp:
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                stream.flush()
        saved = [os.dup(1), os.dup(2)]
        try:
            os.dup2(tmp.fileno(), 1)
            os.dup2(tmp.fileno(), 2)
            yield sink
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            tmp.seek(0)
            sink.append(tmp.read().decode("utf-8", "replace"))


def _clean(text: str) -> str:
    """The interpreter's report without its banners (keeps messages, places, carets)."""
    banners = {"Errors:", "--", "wellformed_error"}
    keep = []
    for ln in (raw.rstrip() for raw in text.splitlines()):
        bare = ln.strip()
        if not bare or bare in banners or ln.startswith("Pass ") or set(ln) == {"~"}:
            continue
        keep.append(ln)
    return "\n".join(keep)


def _query(rule: str) -> str:
    """A query whose output is plain JSON whatever the messages hold.

    rego-cpp writes strings into its JSON output without escaping quotes or
    backslashes, so messages are fetched base64-encoded; ``t`` tells a set from an
    object (``deny[msg] { ... }`` parsed as Rego v1) and ``n`` counts entries that
    are not messages.
    """
    return (
        f"t := type_name({rule}); "
        f"s := [base64.encode(x) | some x in {rule}; is_string(x)]; "
        f"o := [base64.encode(x.msg) | some x in {rule}; is_object(x); is_string(x.msg)]; "
        f"n := count([x | some x in {rule}; not is_string(x)]) - count(o)"
    )


def evaluate(
    policies: Sequence[Path], document: Mapping[str, Any], query: str = DENY_QUERY
) -> Decision:
    """Evaluate ``query`` (a set of messages) over ``document`` with ``policies`` loaded.

    Raises PolicyError for a policy that does not parse, fails at run time, leaves
    ``deny`` undefined (no ``package genguard``) or makes it something other than a
    set; RegoMissing when regopy is not installed.
    """
    try:
        from regopy import Interpreter, RegoError
    except ImportError as exc:
        raise RegoMissing(
            f"policy evaluation needs regopy: {install_hint('policy')} "
            "(or use --print-input with opa eval / conftest)"
        ) from exc
    files = policy_files(policies)
    sources: list[tuple[str, str]] = []
    for f in files:
        try:
            sources.append((str(f), f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"{f}: cannot read the policy: {exc}") from exc
    output = None
    problem: str | None = None
    with _captured() as printed:
        try:
            rego = Interpreter()
            for name, text in sources:
                rego.add_module(name, text)
            rego.set_input(json.loads(json.dumps(document)))
            output = rego.query(_query(query))
            if not output.ok():
                problem = str(output)
        except (RegoError, ValueError) as exc:
            problem = str(exc)
    detail = _clean("".join(printed))
    where = ", ".join(name for name, _ in sources)
    if problem is not None or output is None:
        raise PolicyError(f"{where}: the policy does not compile or failed:\n{detail or problem}")
    bindings = next((r.bindings for r in output.results if r.bindings), None)
    if not bindings:
        raise PolicyError(
            f"{where}: {query} is undefined: the policy must be `package genguard` and define "
            "`deny contains msg if { ... }`"
        )
    if bindings.get("t") == "object":
        raise PolicyError(
            f"{where}: {query} is an object, not a set of messages; write rules as "
            "`deny contains msg if { ... }` (Rego v1), not `deny[msg] { ... }`"
        )
    if bindings.get("t") not in ("set", "array"):
        raise PolicyError(f"{where}: {query} must be a set of messages, not a {bindings.get('t')}")
    messages = {_decode(b) for b in [*bindings.get("s", []), *bindings.get("o", [])]}
    others = int(bindings.get("n", 0) or 0)
    if others:
        messages.add(f"{others} deny entr{'y' if others == 1 else 'ies'} without a message")
    return Decision(tuple(sorted(messages)), tuple(n for n, _ in sources))


def _decode(b64: str) -> str:
    return base64.b64decode(b64).decode("utf-8", "replace")
