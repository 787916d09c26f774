"""The layering docs/architecture.md describes, checked on every module's imports.

Each module is parsed (not imported) and its ``import`` / ``from ... import``
statements are read, including those inside functions, so a lazy import cannot
slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "genguard"

ENTRY_POINTS = {"session", "scan", "hooks", "agents"}
PROTOCOL = {"lsp", "cli"}
REPORTS = {"report", "evidence", "controls", "policy", "sbom", "telemetry"}
PURE = {
    "text",
    "notes",
    "cache",
    "config",
    "syntax",
    "attribution",
    "rules",
    "governance",
    "agentrisk",
    "taint",
    "assess",
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _part(path: Path) -> str:
    """The top-level part of genguard a file belongs to (``fileio`` for fileio.py)."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    """Every module name ``path`` imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
    return out


def _genguard_parts(names: set[str]) -> set[str]:
    return {n.split(".")[1] for n in names if n.startswith("genguard.") and n.count(".") >= 1}


IMPORTS = {path: _imports(path) for path in _modules()}


def _offenders(parts: set[str], forbidden: set[str]) -> list[str]:
    found = []
    for path, names in IMPORTS.items():
        if _part(path) in parts:
            bad = (_genguard_parts(names) - {_part(path)}) & forbidden
            if bad:
                found.append(f"{path.relative_to(PACKAGE)} imports {sorted(bad)}")
    return found


def test_only_the_server_and_the_demo_client_speak_lsp() -> None:
    speakers = {
        str(path.relative_to(PACKAGE))
        for path, names in IMPORTS.items()
        if any(n.split(".")[0] in ("pygls", "lsprotocol") for n in names)
    }
    assert speakers, "the parser found no LSP imports at all"
    allowed = {str(p.relative_to(PACKAGE)) for p in (PACKAGE / "lsp").glob("*.py")}
    assert speakers <= allowed | {"cli/demo.py"}, sorted(speakers - allowed)


@pytest.mark.parametrize(
    ("parts", "forbidden"),
    [
        (PURE, ENTRY_POINTS | PROTOCOL | REPORTS),
        ({"assess"}, {"gitio", "ledger"}),
        ({"session"}, (ENTRY_POINTS - {"session"}) | PROTOCOL),
        ({"scan"}, (ENTRY_POINTS - {"scan"}) | PROTOCOL),
        ({"hooks"}, (ENTRY_POINTS - {"hooks"}) | PROTOCOL),
        ({"agents"}, (ENTRY_POINTS - {"agents"}) | PROTOCOL),
        (REPORTS, PROTOCOL),
    ],
    ids=["pure", "assess", "session", "scan", "hooks", "agents", "reports"],
)
def test_layers_import_only_downwards(parts: set[str], forbidden: set[str]) -> None:
    assert not _offenders(parts, forbidden)


def _calls(path: Path, names: set[str]) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in names:
                return True
    return False


def test_findings_are_judged_only_in_assess() -> None:
    """Suppression markers and governance checks are applied in one place."""
    judges = {
        str(path.relative_to(PACKAGE))
        for path in IMPORTS
        if _calls(path, {"apply_suppressions", "evaluate_governance"})
    }
    assert judges == {"assess/core.py"}
    evaluators = {"genguard.governance.evaluate", "genguard.governance.policy.evaluate"}
    governance_users = {
        str(path.relative_to(PACKAGE))
        for path, names in IMPORTS.items()
        if names & evaluators and _part(path) != "governance"
    }
    assert governance_users == {"assess/core.py"}, governance_users


def test_every_entry_point_calls_assess() -> None:
    callers = {
        str(p.relative_to(PACKAGE)) for p in IMPORTS if _calls(p, {"assess", "assess_lines"})
    }
    for module in (
        "session/session.py",
        "scan/runner.py",
        "hooks/findings.py",
        "agents/record.py",
    ):
        assert module in callers, f"{module} does not call assess()"
