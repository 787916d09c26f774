"""The replay corpus (tests/lsp/traces.py) against the real server over stdio.

Every trace runs in both client profiles; at each checkpoint the lines the server
calls AI (``genguard/fileProvenance``, each chunk's ``lines``) are compared with
the lines the trace knows an AI wrote. The figures go to the terminal summary;
the gate: no line a person wrote is ever called AI, and >= 99 % of lines right.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from tests.conftest import git
from tests.lsp.traces import TRACES

#: Lines right, over all traces, checkpoints and both profiles.
MIN_ACCURACY = 0.99

_results: dict[str, dict[str, Counter]] = {}


def _lines(chunks: list[dict[str, Any]]) -> set[int]:
    out: set[int] = set()
    for chunk in chunks:
        for first, last in chunk["lines"]:
            out.update(range(first, last + 1))
    return out


def _in_ranges(chunks: list[dict[str, Any]]) -> set[int]:
    """Lines inside a chunk's range (a coarser reading of the same answer)."""
    out: set[int] = set()
    for chunk in chunks:
        start, end = chunk["range"]["start"], chunk["range"]["end"]
        last = end["line"] - (1 if end["character"] == 0 and end["line"] > start["line"] else 0)
        out.update(range(start["line"], last + 1))
    return out


async def _replay(client: Any, repo: Path, trace: Any) -> Counter:
    tally: Counter = Counter()
    versions: dict[str, int] = {}
    base = repo / trace.name

    def uri(name: str) -> str:
        return (base / name).as_uri()

    for step in trace.steps:
        op = step["op"]
        if op == "disk":
            path = base / step["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(step["text"])
        elif op == "git":
            git(repo, *step["args"])
        elif op == "open":
            versions[step["file"]] = 1
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(
                        uri=uri(step["file"]),
                        language_id=step["language"],
                        version=1,
                        text=step["text"],
                    )
                )
            )
        elif op == "change":
            versions[step["file"]] += 1
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(
                        uri=uri(step["file"]), version=versions[step["file"]]
                    ),
                    content_changes=[_content_change(c) for c in step["changes"]],
                )
            )
        elif op == "declare":
            client.protocol.notify(
                "genguard/aiEdit",
                {
                    "textDocument": {"uri": uri(step["file"]), "version": versions[step["file"]]},
                    "range": step["range"],
                    "tool": step["tool"],
                },
            )
        elif op == "save":
            client.text_document_did_save(
                types.DidSaveTextDocumentParams(
                    text_document=types.TextDocumentIdentifier(uri=uri(step["file"]))
                )
            )
        elif op == "check":
            for name, (truth, counted) in step["truth"].items():
                prov = await client.protocol.send_request_async(
                    "genguard/fileProvenance", {"textDocument": {"uri": uri(name)}}
                )
                chunks = _plain(prov)["chunks"]
                said, ranged = _lines(chunks), _in_ranges(chunks)
                ai = set(truth)
                for line in counted:
                    tally["lines"] += 1
                    if (line in said) == (line in ai):
                        tally["right"] += 1
                    elif line in said:
                        tally["human_called_ai"] += 1
                        tally[f"miss:{trace.name}:{name}:{line + 1}:human-called-ai"] += 1
                    else:
                        tally["ai_called_human"] += 1
                        tally[f"miss:{trace.name}:{name}:{line + 1}:ai-called-human"] += 1
                    if line in ranged and line not in ai:
                        tally["human_in_ai_range"] += 1
    for name in versions:
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri(name))
            )
        )
    return tally


def _content_change(change: dict[str, Any]) -> Any:
    if "range" not in change:
        return types.TextDocumentContentChangeWholeDocument(text=change["text"])
    start, end = change["range"]["start"], change["range"]["end"]
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=start["line"], character=start["character"]),
            end=types.Position(line=end["line"], character=end["character"]),
        ),
        text=change["text"],
    )


def _plain(obj: Any) -> Any:
    if hasattr(obj, "_asdict"):
        return {k: _plain(v) for k, v in obj._asdict().items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


@pytest.mark.usefixtures("isolated_git")
async def test_replay_corpus(client: Any, repo: Path, request: pytest.FixtureRequest) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "start")
    profile = request.node.callspec.id
    per_kind: dict[str, Counter] = {}
    for trace in TRACES:
        tally = await _replay(client, repo, trace)
        per_kind.setdefault(trace.kind, Counter()).update(tally)
    _results[str(profile)] = per_kind
    total: Counter = sum(per_kind.values(), Counter())
    request.node.user_properties.append(("genguard_replay_table", table(_results)))
    misses = sorted(k for k in total if k.startswith("miss:"))
    assert total["human_called_ai"] == 0, "\n".join(misses)
    assert total["right"] >= MIN_ACCURACY * total["lines"], "\n".join(misses)


def table(results: dict[str, dict[str, Counter]]) -> str:
    """Per kind of session: lines, accuracy, human lines called AI (both profiles)."""
    rows = [
        f"{'kind':<28}{'lines':>7}{'right':>9}{'human->AI':>11}{'AI->human':>11}{'in AI range':>13}"
    ]
    kinds: dict[str, Counter] = {}
    for per_kind in results.values():
        for kind, tally in per_kind.items():
            kinds.setdefault(kind, Counter()).update(tally)
    total: Counter = Counter()
    for kind in sorted(kinds):
        total.update(kinds[kind])
        rows.append(_row(kind, kinds[kind]))
    rows.append("-" * len(rows[0]))
    rows.append(_row(f"total ({len(TRACES)} traces x {len(results)})", total))
    return "\n".join(rows)


def _row(name: str, t: Counter) -> str:
    share = 100.0 * t["right"] / t["lines"] if t["lines"] else 100.0
    return (
        f"{name:<28}{t['lines']:>7}{share:>8.1f}%{t['human_called_ai']:>11}"
        f"{t['ai_called_human']:>11}{t['human_in_ai_range']:>13}"
    )
