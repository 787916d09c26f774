"""``genguard sbom``: CycloneDX 1.6 JSON from real notes, validated against the 1.6 schema."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from tests.conftest import git
from tests.policy.conftest import cli

from genguard.gitio.notes import write_note
from genguard.notes.format import AiRange, FileEntry, Note

APP = "".join(f"value_{i} = compute({i})\n" for i in range(1, 11))


def commit(repo: Path, files: dict[str, str | bytes], message: str) -> str:
    for name, data in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


def note(repo: Path, sha: str, files: dict[str, tuple[int, list[AiRange]]]) -> None:
    entries = {
        p: FileEntry(added_lines=n, ai_lines=sum(r.lines for r in rs), ranges=rs)
        for p, (n, rs) in files.items()
    }
    n = Note(commit=sha, created="2026-11-27T09:30:00.000Z", files=entries)
    n.compute_totals()
    write_note(repo, sha, n)


def props(component: dict) -> dict[str, str]:
    return {p["name"]: p["value"] for p in component.get("properties", [])}


def test_sbom_is_valid_cyclonedx_1_6_with_ai_provenance(repo: Path, tmp_path: Path, capsys):
    old = commit(repo, {"legacy.py": "x = 1\ny = 2\n"}, "before genguard")  # no note
    c1 = commit(
        repo,
        {"app.py": APP, "logo.png": b"\x89PNG\r\n\x1a\n\0\0\0binary", "empty.txt": ""},
        "app",
    )
    note(
        repo,
        c1,
        {
            "app.py": (
                10,
                [
                    AiRange(2, 4, "k1", "copilot", "gpt-4.1", "declared", status="reviewed"),
                    AiRange(6, 7, "k2", "claude-code", "opus-4", "declared"),
                ],
            ),
            "logo.png": (0, []),
            "empty.txt": (0, []),
        },
    )
    c2 = commit(repo, {"app.py": APP.replace("compute(3)", "compute(33)")}, "human fix")
    note(repo, c2, {"app.py": (1, [])})
    assert old != c1

    out = tmp_path / "bom" / "sbom.cdx.json"
    assert cli("sbom", "--format", "cyclonedx", "--output", str(out), "-C", str(repo)) == 0
    text = out.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["version"] == c2
    assert bom["metadata"]["tools"]["components"][0]["name"] == "genguard"

    by_ref = {c["bom-ref"]: c for c in bom["components"]}
    app = by_ref["file:app.py"]
    assert app["type"] == "file"
    assert app["hashes"] == [
        {
            "alg": "SHA-256",
            "content": hashlib.sha256(APP.replace("(3)", "(33)").encode()).hexdigest(),
        }
    ]
    p = props(app)
    # line 3 was rewritten by a person in c2: 4 AI lines remain of 10
    assert p["genguard:lines"] == "10" and p["genguard:ai:lines"] == "4"
    assert p["genguard:ai:share"] == "0.4000"
    assert p["genguard:ai:reviewed_lines"] == "2"
    assert p["genguard:ai:tools"] == "claude-code,copilot"
    assert p["genguard:ai:models"] == "gpt-4.1,opus-4"
    assert p["genguard:ai:tool:copilot:lines"] == "2"
    assert props(by_ref["file:legacy.py"])["genguard:provenance:unknown_lines"] == "2"
    assert props(by_ref["file:logo.png"])["genguard:binary"] == "true"
    assert props(by_ref["file:empty.txt"])["genguard:lines"] == "0"

    assert by_ref["ai-tool:copilot"]["type"] == "application"
    assert props(by_ref["ai-tool:claude-code"])["genguard:ai:lines"] == "2"
    model = by_ref["ai-model:gpt-4.1"]
    assert model["type"] == "machine-learning-model"
    assert props(model)["genguard:ai:tools"] == "copilot"
    assert "compute(" not in text  # no code in the SBOM
    assert "4 files, 4 of 12 lines AI-written" in capsys.readouterr().err


def test_sbom_to_stdout_and_a_bad_revision_leaves_the_old_file(repo: Path, tmp_path, capsys):
    commit(repo, {"a.txt": "a\n"}, "one")
    assert cli("sbom", "-C", str(repo)) == 0
    bom = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in bom["components"]] == ["a.txt"]
    out = tmp_path / "keep.json"
    out.write_text("previous")
    assert cli("sbom", "--rev", "nope", "-o", str(out), "-C", str(repo)) == 2
    assert "genguard sbom:" in capsys.readouterr().err
    assert out.read_text() == "previous"
