"""A tiny scripted editor on top of pytest-lsp's client: it keeps its own copy
of the text so tests can type, paste and delete like a user would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


class Editor:
    def __init__(self, client: LanguageClient, path: Path, text: str, language_id: str) -> None:
        self.client = client
        self.path = path
        self.uri = path.as_uri()
        self.text = text
        self.version = 1
        self.language_id = language_id
        self.encoding = "utf-16"

    def open(self) -> None:
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri, language_id=self.language_id, version=self.version, text=self.text
                )
            )
        )

    # -- offsets in the client's own units ---------------------------------------
    def _col(self, s: str) -> int:
        if self.encoding == "utf-8":
            return len(s.encode("utf-8"))
        if self.encoding == "utf-32":
            return len(s)
        return len(s.encode("utf-16-le")) // 2

    def position_of(self, index: int) -> types.Position:
        before = self.text[:index]
        line = before.count("\n")
        col_text = before[before.rfind("\n") + 1 :]
        return pos(line, self._col(col_text))

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace text[start:end] (character indices) and send the change."""
        rng = types.Range(start=self.position_of(start), end=self.position_of(end))
        self.text = self.text[:start] + new + self.text[end:]
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[types.TextDocumentContentChangePartial(range=rng, text=new)],
            )
        )

    def insert(self, index: int, new: str) -> None:
        self.replace(index, index, new)

    def type(self, index: int, new: str) -> None:
        """Type ``new`` one character per change, like a person."""
        for i, ch in enumerate(new):
            self.insert(index + i, ch)

    def range_of(self, needle: str) -> types.Range:
        i = self.text.index(needle)
        return types.Range(start=self.position_of(i), end=self.position_of(i + len(needle)))

    # -- genguard messages -------------------------------------------------------
    def declare_ai(self, needle: str, tool: str, **extra: Any) -> None:
        rng = self.range_of(needle)
        self.client.protocol.notify(
            "genguard/aiEdit",
            {
                "textDocument": {"uri": self.uri, "version": self.version},
                "range": _plain_range(rng),
                "tool": tool,
                **extra,
            },
        )

    async def provenance(self) -> dict[str, Any]:
        """Also a barrier: every earlier message has been handled when it returns."""
        result = await self.client.protocol.send_request_async(
            "genguard/fileProvenance", {"textDocument": {"uri": self.uri}}
        )
        return _to_dict(result)

    def diagnostics(self, code: str | None = None) -> list[types.Diagnostic]:
        diags = list(self.client.diagnostics.get(self.uri, []))
        return [d for d in diags if code is None or d.code == code]

    async def code_actions(
        self,
        rng: types.Range,
        diagnostics: list[types.Diagnostic],
        only: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """textDocument/codeAction as plain dicts: lsprotocol's client-side decoder turns
        a CodeAction that carries a command into a Command, dropping its kind."""
        params = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
        protocol = self.client.protocol
        typed = protocol.get_result_type
        protocol.get_result_type = lambda method: (  # type: ignore[method-assign]
            None if method == types.TEXT_DOCUMENT_CODE_ACTION else typed(method)
        )
        try:
            result = await protocol.send_request_async(types.TEXT_DOCUMENT_CODE_ACTION, params)
        finally:
            del protocol.get_result_type
        return _to_dict(result) or []

    async def command(self, name: str, *args: Any) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=name, arguments=list(args))
        )


def _plain_range(rng: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": rng.start.line, "character": rng.start.character},
        "end": {"line": rng.end.line, "character": rng.end.character},
    }


def _to_dict(obj: Any) -> Any:
    if hasattr(obj, "_asdict"):
        return {k: _to_dict(v) for k, v in obj._asdict().items()}
    if isinstance(obj, list | tuple):
        return [_to_dict(v) for v in obj]
    return obj
