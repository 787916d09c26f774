"""Converters between genguard's plain values and LSP types, named by what they produce."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from genguard.session.document import Range
from genguard.session.session import SOURCE, DiagnosticInfo

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
        data=info.data,
        related_information=related or None,
    )
