"""Document synchronisation: every edit updates text, tree, chunks and findings.

There is no debounce: an edit is checked as soon as the client has sent nothing
newer (``GuardServer.schedule_check``), so a burst of keystrokes is checked once,
at its newest version. Keystrokes outside AI chunks (scope ``ai``) only move
ranges; the reparse they imply is deferred until a check needs the tree.
"""

from __future__ import annotations

from lsprotocol import types

from genguard.lsp.convert import plain_range
from genguard.lsp.lifecycle import is_config, reload
from genguard.lsp.server import GuardServer
from genguard.session.document import GuardError


def setup(server: GuardServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GuardServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        doc = ls.session.open(item.uri, item.language_id, item.version, item.text)
        if doc.oversized:  # shown, not only logged: a file checked less must not look clean
            ls.tell(
                f"genguard: {doc.file} is {len(doc.buffer) / 1e6:.1f} MB; syntax rules are off"
                " for it (attribution and pattern rules still run)",
                types.MessageType.Warning,
            )
        if doc.binary:
            ls.log_to_client(f"genguard: {doc.file} looks binary; it is not checked")
        ls.check_and_publish(doc, force=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GuardServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        changes = [
            (
                plain_range(c.range)
                if isinstance(c, types.TextDocumentContentChangePartial)
                else None,
                c.text,
            )
            for c in params.content_changes
        ]
        try:
            report = ls.session.change(uri, params.text_document.version, changes)
        except GuardError as exc:
            ls.tell(f"genguard: {exc}")
            return
        for warning in report.warnings:
            ls.log_to_client(f"genguard: {warning}", types.MessageType.Warning)
        ls.schedule_check(ls.session.get(uri))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GuardServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if is_config(uri):
            reload(ls)
        if uri in ls.session.documents:
            ls.session.save(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GuardServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.session.documents:
            ls.session.close(uri)
            ls.collector.forget()
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
