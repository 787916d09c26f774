"""Code actions and the commands behind them: review, suppress, fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from genguard.lsp.convert import SOURCE, lsp_range, plain_range
from genguard.lsp.params import command_args
from genguard.lsp.server import GuardServer
from genguard.session.document import GuardError

MARK_REVIEWED = "genguard.markReviewed"
SUPPRESS = "genguard.suppress"


def wanted(only: Sequence[str] | None, kind: str) -> bool:
    """Whether an action of ``kind`` may be returned for ``CodeActionContext.only``.

    Kinds are hierarchical: asking for ``quickfix`` admits ``quickfix.x`` too, and
    the empty kind admits everything. VS Code drops (and logs) any other kind.
    """
    if not only:
        return True
    return any(k == "" or kind == k or kind.startswith(k + ".") for k in only)


def chunk_diagnostics(
    context: types.CodeActionContext, chunk_id: str, rule_id: str | None = None
) -> list[types.Diagnostic]:
    """The request's genguard diagnostics about a chunk (of one rule, if given): the
    ones an action resolves, which makes it a quick fix for them."""
    out = []
    for d in context.diagnostics:
        data = d.data if isinstance(d.data, dict) else {}
        if d.source != SOURCE or data.get("chunkId") != chunk_id:
            continue
        if rule_id is None or d.code == rule_id:
            out.append(d)
    return out


def setup(server: GuardServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.Source]
        ),
    )
    def code_action(ls: GuardServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        session = ls.session
        doc = session.documents.get(uri)
        if doc is None:
            return []
        only = params.context.only
        quickfix = wanted(only, types.CodeActionKind.QuickFix)
        start, end = doc.offsets(plain_range(params.range), clamp=True)
        actions: list[types.CodeAction] = []
        for chunk in doc.tracker.covering(start, max(end, start + 1)):
            if chunk.status == "reviewed":
                continue
            # a quick fix for the chunk's diagnostics (the unreviewed-AI one, its
            # findings) when the request carries them; else a source action
            resolves = chunk_diagnostics(params.context, chunk.id)
            if resolves and quickfix:
                kind = types.CodeActionKind.QuickFix
            elif wanted(only, types.CodeActionKind.Source):
                kind, resolves = types.CodeActionKind.Source, []
            else:
                continue
            first, last = doc.lines(chunk.start, chunk.end)
            actions.append(
                types.CodeAction(
                    title=f"Mark AI chunk as reviewed (lines {first}-{last}, {chunk.tool})",
                    kind=kind,
                    diagnostics=resolves or None,
                    command=types.Command(
                        title="Mark AI chunk as reviewed",
                        command=MARK_REVIEWED,
                        arguments=[uri, chunk.id],
                    ),
                )
            )
        buffer = doc.buffer
        for finding, chunk in session.visible_findings(doc) if quickfix else ():
            # anywhere on the finding's lines, not only inside the underlined span
            lo = buffer.line_start(buffer.line_of(finding.start))
            hi = buffer.line_end(buffer.line_of(max(finding.start, finding.end - 1)))
            if not (lo <= max(end, start + 1) and hi >= start):
                continue
            rule = finding.rule
            resolves = chunk_diagnostics(params.context, chunk.id, rule.id) if chunk else []
            if finding.fix is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Fix: {rule.name or rule.id}",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=resolves or None,
                        is_preferred=True,
                        edit=types.WorkspaceEdit(
                            changes={
                                uri: [
                                    types.TextEdit(
                                        range=lsp_range(doc.lsp_range(finding.start, finding.end)),
                                        new_text=finding.fix,
                                    )
                                ]
                            }
                        ),
                    )
                )
            if chunk is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Suppress {rule.id} here with a justification",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=resolves or None,
                        command=types.Command(
                            title=f"Suppress {rule.id}",
                            command=SUPPRESS,
                            # the client asks the user for the justification (4th argument)
                            arguments=[uri, chunk.id, rule.id],
                        ),
                    )
                )
        return actions

    @server.command(MARK_REVIEWED)
    def mark_reviewed(ls: GuardServer, *args: Any) -> dict[str, Any]:
        try:
            uri, chunk_id = command_args(list(args), ("uri", "chunkId"), MARK_REVIEWED)
            chunk = ls.session.mark_reviewed(uri, chunk_id)
        except GuardError as exc:
            ls.tell(f"genguard: {exc}")
            return {"ok": False, "error": str(exc)}
        ls.check_and_publish(ls.session.get(uri))
        return {"ok": True, "chunkId": chunk.id, "reviewer": chunk.reviewer}

    @server.command(SUPPRESS)
    def suppress(ls: GuardServer, *args: Any) -> dict[str, Any]:
        try:
            uri, chunk_id, rule_id, why = command_args(
                list(args), ("uri", "chunkId", "ruleId", "justification"), SUPPRESS
            )
            ls.session.suppress(uri, chunk_id, rule_id, why)
        except GuardError as exc:
            ls.tell(f"genguard: {exc}")
            return {"ok": False, "error": str(exc)}
        ls.check_and_publish(ls.session.get(uri))
        return {"ok": True, "chunkId": chunk_id, "ruleId": rule_id}
