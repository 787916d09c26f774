"""genguard's own messages: declared AI and human edits, and the provenance query."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from genguard.lsp.convert import provenance_json
from genguard.lsp.params import (
    AI_EDIT,
    HUMAN_EDIT,
    parse_ai_edit,
    parse_human_edit,
    parse_text_document_uri,
)
from genguard.lsp.server import GuardServer
from genguard.session.document import GuardError

FILE_PROVENANCE = "genguard/fileProvenance"


def setup(server: GuardServer) -> None:
    @server.feature(AI_EDIT)
    def ai_edit(ls: GuardServer, params: Any) -> None:
        try:
            edit = parse_ai_edit(params)
            ls.session.declare_ai(
                edit.uri,
                edit.version,
                edit.range,
                tool=edit.tool,
                model=edit.model,
                prompt_hash=edit.prompt_hash,
                kind=edit.kind,
            )
        except GuardError as exc:
            ls.tell(f"genguard: {exc}")
            return
        if edit.prompt_hash_was_hashed:
            ls.log_to_client(
                f"{AI_EDIT}: promptHash did not look like a hash; it was hashed and the value"
                " dropped (send a sha256 of the prompt)",
                types.MessageType.Warning,
            )
        ls.schedule_check(ls.session.get(edit.uri))

    @server.feature(HUMAN_EDIT)
    def human_edit(ls: GuardServer, params: Any) -> None:
        try:
            edit = parse_human_edit(params)
            ls.session.declare_human(edit.uri, edit.version, edit.range, edit.reason)
        except GuardError as exc:
            ls.tell(f"genguard: {exc}")
            return
        ls.schedule_check(ls.session.get(edit.uri))

    @server.feature(FILE_PROVENANCE)
    def file_provenance(ls: GuardServer, params: Any) -> dict[str, Any]:
        try:
            uri = parse_text_document_uri(params, FILE_PROVENANCE)
            return provenance_json(ls.session.provenance(uri))
        except GuardError as exc:
            ls.log_to_client(f"genguard: {exc}", types.MessageType.Warning)
            return {"error": str(exc), "chunks": []}
