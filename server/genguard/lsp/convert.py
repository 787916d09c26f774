"""Converters between genguard's plain values and LSP types, named by what they produce.

Everything LSP-shaped (types, camelCase JSON, ``source``) is made here, so the
session and the modules below it never know the protocol.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from genguard.session.document import Range
from genguard.session.present import DiagnosticInfo, FileProvenance

SOURCE = "genguard"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}

_ENCODINGS = {
    types.PositionEncodingKind.Utf8: "utf-8",
    types.PositionEncodingKind.Utf16: "utf-16",
    types.PositionEncodingKind.Utf32: "utf-32",
}


def encoding_name(kind: Any) -> str:
    return _ENCODINGS.get(kind, "utf-16")


def lsp_range(rng: Range) -> types.Range:
    (sl, sc), (el, ec) = rng
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def plain_range(rng: types.Range) -> Range:
    return (rng.start.line, rng.start.character), (rng.end.line, rng.end.character)


def _safe_href(href: str | None) -> bool:
    """Only an ``https:`` link may reach the editor, which opens it on a click (the
    loader already refuses others; this keeps any other source of a link honest)."""
    return bool(href) and href.startswith("https://") and href.isprintable()  # type: ignore[union-attr]


def lsp_diagnostic(info: DiagnosticInfo, uri: str) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=lsp_range(rng)), message=message
        )
        for rng, message in info.related
    ]
    return types.Diagnostic(
        range=lsp_range(info.range),
        severity=_SEVERITY.get(info.severity, types.DiagnosticSeverity.Warning),
        code=info.code,
        code_description=types.CodeDescription(href=info.href) if _safe_href(info.href) else None,
        source=SOURCE,
        message=info.message,
        data=diagnostic_data(info),
        related_information=related or None,
    )


def diagnostic_data(info: DiagnosticInfo) -> dict[str, Any]:
    """The ``data`` of a diagnostic: what code actions and clients read back."""
    data: dict[str, Any] = {
        "chunkId": info.chunk_id,
        "cwe": list(info.cwe),
        "controls": {k: list(v) for k, v in info.controls},
    }
    if info.fix is not None:
        data["fix"] = info.fix
    return data


def _position(pos: tuple[int, int]) -> dict[str, int]:
    return {"line": pos[0], "character": pos[1]}


def provenance_json(p: FileProvenance) -> dict[str, Any]:
    """The answer to ``genguard/fileProvenance``."""
    return {
        "uri": p.uri,
        "version": p.version,
        "aiShare": p.ai_share,
        "aiShareOf": "lines",
        "aiLines": p.ai_lines,
        "totalLines": p.total_lines,
        "aiByteShare": p.ai_byte_share,
        "chunks": [
            {
                "id": c.id,
                "range": {"start": _position(c.range[0]), "end": _position(c.range[1])},
                "tool": c.tool,
                "model": c.model,
                "method": c.method,
                "kind": c.kind,
                "created": c.created,
                "status": c.status,
                "reviewer": c.reviewer,
                "findings": list(c.findings),
                "suppressed": list(c.suppressed),
                "humanEditedShare": c.human_edited_share,
                "lines": [list(run) for run in c.lines],
            }
            for c in p.chunks
        ],
    }
