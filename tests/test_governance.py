"""Governance checks per AI chunk: the pure policy, its configuration, and the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from genguard.config import parse_settings
from genguard.governance import (
    APPROVED_MODEL,
    APPROVED_TOOL,
    BANNED_IMPORT,
    CHUNK_SIZE,
    LICENSE_HEADER,
    PROTECTED_PATH,
    ChunkFacts,
    GovernancePolicy,
    banned_match,
    evaluate,
    find_imports,
)
from genguard.rules.model import CHECKS
from genguard.session.session import Session


def facts(text: str = "x = 1\ny = 2\n", **kw) -> ChunkFacts:
    data = text.encode()
    base = {
        "file": "src/app.py",
        "language": "python",
        "text": data,
        "start": 0,
        "line_count": data.count(b"\n") or 1,
        "tool": "copilot",
    }
    return ChunkFacts(**{**base, **kw})


def checks(f: ChunkFacts, policy: GovernancePolicy) -> list[str]:
    return [v.check for v in evaluate(f, policy)]


def test_quiet_by_default() -> None:
    assert evaluate(facts(), GovernancePolicy.build()) == []


def test_protected_paths_until_reviewed() -> None:
    policy = GovernancePolicy.build(protected_paths=["infra/**", "*.tf", ".github/workflows/"])
    [v] = evaluate(facts(file="infra/net/main.py"), policy)
    assert v.check == PROTECTED_PATH and "'infra/**'" in v.detail
    assert (v.start, v.end) == (0, len("x = 1"))  # the chunk's first line
    assert checks(facts(file="modules/vpc.tf"), policy) == [PROTECTED_PATH]
    assert checks(facts(file=".github/workflows/ci.yml"), policy) == [PROTECTED_PATH]
    assert checks(facts(file="src/infra.py"), policy) == []
    assert checks(facts(file="infra/net/main.py", reviewed=True), policy) == []


def test_approved_tools_and_models() -> None:
    policy = GovernancePolicy.build(approved_tools=["copilot"], approved_models=["gpt-4o*"])
    assert checks(facts(model="gpt-4o-2024-08-06"), policy) == []
    [tool] = evaluate(facts(tool="cursor", model="gpt-4o"), policy)
    assert tool.check == APPROVED_TOOL and "cursor" in tool.detail
    [model] = evaluate(facts(model="llama-3"), policy)
    assert model.check == APPROVED_MODEL and "llama-3" in model.detail
    [undeclared] = evaluate(facts(model=None), policy)
    assert "undeclared model" in undeclared.detail
    unknown = evaluate(facts(tool="unknown", model="gpt-4o"), policy)
    assert "undeclared tool" in unknown[0].detail
    # empty lists accept anything
    assert checks(facts(tool="cursor", model=None), GovernancePolicy.build()) == []


def test_chunk_size() -> None:
    policy = GovernancePolicy.build(max_chunk_lines=3)
    assert checks(facts("a\nb\nc\n"), policy) == []
    [v] = evaluate(facts("\n\na = 1\nb\nc\nd\n", start=100), policy)
    assert v.check == CHUNK_SIZE and "6 lines" in v.detail and "limit 3" in v.detail
    assert (v.start, v.end) == (102, 107)  # first non-blank line, absolute offsets
    assert checks(facts("a\nb\nc\nd\n", reviewed=True), policy) == []
    assert checks(facts("a\n" * 1000), GovernancePolicy.build(max_chunk_lines=0)) == []


@pytest.mark.parametrize(
    ("language", "code", "imported"),
    [
        (
            "python",
            "import os, pickle as p\nfrom yaml import load\n",
            ["os", "pickle", "yaml", "yaml.load"],
        ),
        ("python", "from xml.etree import ElementTree\n", ["xml.etree", "xml.etree.ElementTree"]),
        ("python", "mod = __import__('marshal')\n", ["marshal"]),
        (
            "javascript",
            "import _ from 'lodash/fp';\nconst cp = require('child_process');\n",
            ["lodash/fp", "child_process"],
        ),
        ("typescript", "import fs = require('fs');\nexport { x } from './x';\n", ["fs", "./x"]),
        ("tsx", "const m = await import('left-pad');\n", ["left-pad"]),
        ("go", 'import (\n\t"fmt"\n\tx "os/exec"\n)\n', ["fmt", "os/exec"]),
        (
            "java",
            "import java.rmi.Remote;\nimport static org.junit.Assert.*;\n",
            ["java.rmi.Remote", "org.junit.Assert"],
        ),
    ],
)
def test_imports_are_found(language: str, code: str, imported: list[str]) -> None:
    assert [i.name for i in find_imports(code.encode(), language)] == imported


def test_imports_in_strings_and_comments_do_not_count() -> None:
    code = b'# import pickle\ndoc = "import pickle"\nprint("require(\'pickle\')")\n'
    assert find_imports(code, "python") == ()


def test_banned_entries_cover_submodules_only() -> None:
    assert banned_match("yaml.constructor", ["yaml"]) == "yaml"
    assert banned_match("node:child_process", ["child_process"]) == "child_process"
    assert banned_match("lodash/fp", ["lodash"]) == "lodash"
    assert banned_match("lodashish", ["lodash"]) is None
    assert banned_match("java.rmi.Remote", ["java.rmi"]) == "java.rmi"


def test_banned_imports_point_at_the_import() -> None:
    code = "import json\nimport pickle\n\ndef load(b):\n    return pickle.loads(b)\n"
    policy = GovernancePolicy.build(banned_imports=["pickle", "telnetlib"])
    [v] = evaluate(facts(code, start=50), policy)
    assert v.check == BANNED_IMPORT and "'pickle'" in v.detail
    assert (v.start, v.end) == (50 + code.index("pickle"), 50 + code.index("pickle") + 6)
    js = "const t = require('telnetlib');\n"
    assert checks(facts(js, language="javascript"), policy) == [BANNED_IMPORT]
    assert checks(facts(js, language="ruby"), policy) == []  # no import detection there


def test_license_header_for_new_files() -> None:
    header = "Copyright 2026 Acme Corp\nSPDX-License-Identifier: Apache-2.0"
    policy = GovernancePolicy.build(license_header=header)
    bare = "import os\n"
    [v] = evaluate(facts(bare, starts_file=True, file_head=bare.encode()), policy)
    assert v.check == LICENSE_HEADER and "Copyright 2026 Acme Corp" in v.detail
    good = (
        "#!/usr/bin/env python\n"
        "# Copyright 2026 Acme Corp\n"
        "# SPDX-License-Identifier:  Apache-2.0\n"
        "import os\n"
    )
    assert checks(facts(good, starts_file=True, file_head=good.encode()), policy) == []
    js = "// Copyright 2026 Acme Corp\n// SPDX-License-Identifier: Apache-2.0\n"
    assert checks(facts(js, starts_file=True, file_head=js.encode()), policy) == []
    swapped = "# SPDX-License-Identifier: Apache-2.0\n# Copyright 2026 Acme Corp\n"
    assert checks(facts(swapped, starts_file=True, file_head=swapped.encode()), policy) == [
        LICENSE_HEADER
    ]
    # a chunk added to an existing file is not a new file
    assert checks(facts(bare, starts_file=False, file_head=bare.encode()), policy) == []


def test_every_check_a_rule_can_name_is_implemented() -> None:
    implemented = {PROTECTED_PATH, APPROVED_TOOL, APPROVED_MODEL, CHUNK_SIZE}
    implemented |= {BANNED_IMPORT, LICENSE_HEADER}
    assert implemented == set(CHECKS)


def test_only_enabled_checks_run() -> None:
    policy = GovernancePolicy.build(protected_paths=["**"], enabled=[CHUNK_SIZE])
    assert evaluate(facts(), policy) == []


# -- configuration -----------------------------------------------------------------------


def test_governance_settings_are_typed_and_located() -> None:
    text = (
        'approved_tools = ["copilot"]\n'
        "[governance]\n"
        'protected_paths = ["infra/**", "!infra/ok"]\n'
        "max_chunk_lines = -5\n"
        'banned_imports = ["pickle", "two words"]\n'
        "approved_models = 3\n"
        'license_header = "SPDX-License-Identifier: MIT"\n'
        "colour = 1\n"
    )
    result = parse_settings(text, Path("/w/.genguard.toml"))
    gov = result.settings.governance
    assert gov.protected_paths == ("infra/**",)
    assert gov.max_chunk_lines == 300
    assert gov.banned_imports == ("pickle",)
    assert gov.approved_models == ()
    assert gov.license_header == "SPDX-License-Identifier: MIT"
    assert result.settings.approved_tools == ("copilot",)
    lines = {p.line: p.message for p in result.problems}
    assert "'!infra/ok'" in lines[3] and "max_chunk_lines" in lines[4]
    assert "'two words'" in lines[5] and "approved_models" in lines[6]
    assert "governance.colour" in lines[8]
    assert result.settings.to_dict()["governance"]["protected_paths"] == ["infra/**"]


# -- in the session ------------------------------------------------------------------------

BLOCK = (
    "import pickle\n"
    "\n"
    "def load_state(path):\n"
    "    with open(path, 'rb') as fh:\n"
    "        return pickle.load(fh)\n"
)


def test_session_shows_governance_findings_with_rule_metadata(repo: Path, tmp_path: Path) -> None:
    (repo / ".genguard.toml").write_text(
        'approved_tools = ["copilot"]\n'
        "[governance]\n"
        'protected_paths = ["infra/**"]\n'
        'banned_imports = ["pickle"]\n'
        '[rules.severity]\n"governance-banned-import" = "warning"\n'
    )
    session = Session(repo, cache_dir=tmp_path / "cache")
    assert session.problems.config == []
    assert set(session.governance_rules) == set(CHECKS)  # the governance pack loaded
    uri = (repo / "infra" / "state.py").as_uri()
    doc = session.open(uri, "python", 1, "")
    session.change(uri, 2, [(((0, 0), (0, 0)), BLOCK)])
    session.check(doc)
    chunk = session.declare_ai(uri, 2, ((0, 0), (5, 0)), tool="cursor", model="gpt-4o")
    session.check(doc)
    diags = {d.code: d for d in session.diagnostics(doc)}
    protected = diags["governance-protected-path"]
    assert protected.severity == "error" and "infra/**" in protected.message
    assert protected.chunk_id == chunk.id and protected.controls
    assert diags["governance-unapproved-tool"].chunk_id == chunk.id
    assert "cursor" in diags["governance-unapproved-tool"].message
    banned = diags["governance-banned-import"]
    assert banned.severity == "warning" and banned.range == ((0, 7), (0, 13))

    session.mark_reviewed(uri, chunk.id)
    codes = {d.code for d in session.diagnostics(doc)}
    assert "governance-protected-path" not in codes
    assert {"governance-unapproved-tool", "governance-banned-import"} <= codes


def test_governance_checks_can_be_disabled(repo: Path, tmp_path: Path) -> None:
    (repo / ".genguard.toml").write_text(
        '[rules]\npacks = ["security"]\ndisable = ["governance-chunk-size"]\n'
        "[governance]\nmax_chunk_lines = 2\nprotected_paths = ['*.py']\n"
    )
    session = Session(repo, cache_dir=tmp_path / "cache")
    uri = (repo / "a.py").as_uri()
    doc = session.open(uri, "python", 1, "")
    session.change(uri, 2, [(((0, 0), (0, 0)), BLOCK)])
    session.check(doc)
    codes = {d.code for d in session.diagnostics(doc)}
    assert "governance-protected-path" in codes  # the governance pack loads with packs listed
    assert "governance-chunk-size" not in codes
