"""The genguard language server: wiring of features onto pygls.

Each feature module has a ``setup(server)`` that registers its handlers; this
module owns the server object, the session and the few helpers they share
(publishing, user-facing messages).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from genguard import __version__
from genguard.lsp.collector import Collector
from genguard.lsp.convert import lsp_diagnostic
from genguard.lsp.params import AI_EDIT, HUMAN_EDIT
from genguard.lsp.transport import MAX_MESSAGE_BYTES, REFUSED_METHOD, BoundedStdin, StdinReader
from genguard.session.document import GuardedDocument
from genguard.session.session import Session

log = logging.getLogger(__name__)


EDITS = frozenset({types.TEXT_DOCUMENT_DID_CHANGE, AI_EDIT, HUMAN_EDIT})
"""Messages that only change a document: their check may wait for the next one.
Anything else (a request, a save, a close) first sees every edit checked."""


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A request whose params did not fit its type: it still gets a reply (an error)."""

    id: int | str
    method: str
    detail: str


def _first_cause(exc: BaseException) -> str:
    """The innermost message of a (grouped) validation error, e.g. the field at fault."""
    while True:
        inner = getattr(exc, "exceptions", None)
        if inner:
            exc = inner[0]
        elif exc.__cause__ is not None:
            exc = exc.__cause__
        else:
            return str(exc)


class GuardProtocol(LanguageServerProtocol):
    """The session owns document text (as bytes, with its own line table), so
    pygls' copy of every document is not maintained: it would double the work
    of each keystroke for nothing.

    Every request gets a reply: pygls drops a request whose params do not fit
    their type (a negative position) without answering, which leaves a client
    waiting forever; here it is answered with InvalidParams. A body refused for
    its size by :class:`~genguard.lsp.transport.BoundedStdin` is answered with
    InvalidRequest (its id was never read, so the reply's id is null).
    """

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            ident = data.get("id") if isinstance(data, dict) else None
            if isinstance(ident, int | str) and isinstance(data.get("method"), str):
                return _Unreadable(ident, data["method"], _first_cause(exc))
            raise

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Unreadable):
            log.warning("invalid params for %s: %s", message.method, message.detail)
            self._send_response(
                message.id,
                error=types.ResponseError(
                    code=JsonRpcInvalidParams.CODE,
                    message=f"invalid params for {message.method}: {message.detail}",
                ),
            )
            return
        server = self._server
        if getattr(message, "method", None) in EDITS:
            server.session.hold_records()  # written once the answer to it is published
            server.collector.hold()  # no garbage collection before the answer either
        else:  # anything else sees every edit checked, and records what it does at once
            server.settle()
        try:
            self._handle(message)
        finally:
            server.settle_soon()

    def _handle(self, message: Any) -> None:
        if getattr(message, "method", None) == REFUSED_METHOD:
            guard = getattr(self._server, "stdin_guard", None)
            if guard is not None and guard.refused:  # ours, not a client's imitation
                size = guard.refused.popleft()
                log.warning("refused a message of %d bytes", size)
                self._send_response(
                    None,  # type: ignore[arg-type]
                    error=types.ResponseError(
                        code=JsonRpcInvalidRequest.CODE,
                        message=f"message of {size} bytes refused: over the "
                        f"{MAX_MESSAGE_BYTES}-byte limit",
                    ),
                )
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class GuardServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("genguard", __version__, protocol_cls=GuardProtocol)
        self._session: Session | None = None
        self.cache_dir: Path | None = None
        self.stdin_guard: BoundedStdin | None = None
        #: Configuration files that have diagnostics published (lifecycle.py).
        self.config_uris: set[str] = set()
        #: Documents edited since their last check, oldest first (see schedule_check).
        self.due: dict[str, None] = {}
        self._settling: asyncio.Handle | None = None
        self.collector = Collector()

    def _start_io_async(self, stdin: Any = None, stdout: Any = None) -> None:
        """pygls's stdio loop with :class:`~genguard.lsp.transport.StdinReader`, which
        hands over buffered messages without a thread hop (see :meth:`schedule_check`).
        Overrides pygls's method of the same name; the rest is as pygls does it."""
        if not isinstance(stdin, BoundedStdin):
            super()._start_io_async(stdin, stdout)
            return
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(
                run_async(
                    stop_event=self._stop_event,
                    reader=StdinReader(stdin, self.thread_pool),
                    protocol=self.protocol,
                    logger=log,
                    error_handler=self.report_server_error,
                )
            )
        except BrokenPipeError:
            log.error("connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if self._session is not None:
                self._session.flush_records()
            self.shutdown()

    # -- shared helpers ----------------------------------------------------------
    @property
    def session(self) -> Session:
        """The workspace's session, made at ``initialize`` (or on first use by a
        client that skipped it)."""
        if self._session is None:
            self._session = Session(None)
        return self._session

    @session.setter
    def session(self, session: Session) -> None:
        self._session = session

    def tell(self, message: str, level: types.MessageType = types.MessageType.Warning) -> None:
        """Show a message to the user and keep it in the client's log."""
        log.warning(message) if level <= types.MessageType.Warning else log.info(message)
        self.window_show_message(types.ShowMessageParams(type=level, message=message))
        self.window_log_message(types.LogMessageParams(type=level, message=message))

    def log_to_client(
        self, message: str, level: types.MessageType = types.MessageType.Info
    ) -> None:
        """Log only (for things a user does not need to act on)."""
        self.window_log_message(types.LogMessageParams(type=level, message=message))

    def schedule_check(self, doc: GuardedDocument) -> None:
        """Check ``doc`` once the client has sent nothing newer.

        An edit followed by another already on the pipe is superseded before its
        check starts: only the newest version gets checked and published, so a
        burst of keystrokes costs one check. Requests, saves and closes settle
        every pending check first (:meth:`settle`), so they never see stale
        findings; no time-based debounce delays the last edit's answer.
        """
        self.due[doc.uri] = None

    def pending(self) -> bool:
        """Whether a check or a ledger record waits for :meth:`settle`."""
        return bool(self.due) or (self._session is not None and self._session.records_held)

    def settle(self) -> None:
        """Check and publish every document edited since its last check, then write
        the ledger records held meanwhile: the editor's answer never waits on the
        disk, and the records are those of the versions published."""
        while self.due:
            uri = next(iter(self.due))
            del self.due[uri]
            doc = self.session.documents.get(uri)
            if doc is not None:
                self.check_and_publish(doc)
        self.collector.release()
        if self._session is not None:
            self._session.flush_records()

    def settle_soon(self) -> None:
        """After a message: settle once the event loop is idle and no input waits."""
        if self._settling is not None:
            return
        if not self.pending():
            self.collector.release()  # an edit with nothing to answer
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # driven without an event loop: nothing can come between
            self.settle()
            return
        self._settling = loop.call_soon(self._settle_if_idle)

    def input_waiting(self) -> bool:
        """Whether the client has already sent more than has been handled."""
        guard = self.stdin_guard
        return guard is not None and guard.waiting()

    def _settle_if_idle(self) -> None:
        self._settling = None
        if self.input_waiting():
            return  # the next message settles or schedules again
        self.settle()

    def check_and_publish(self, doc: GuardedDocument, *, force: bool = False) -> None:
        """Check what changed on the whole tree and publish at once; no debounce.

        A check always runs to its final result for the document's version, so
        the editor gets one answer per checked version and never one it later
        has to take back.
        """
        self.collector.hold()
        changed = self.session.check(doc, record=False)
        self._publish(doc, force=force)
        self.collector.release()  # after the answer, as recording is
        if changed:
            self.session.record_findings(doc)
        if not self.input_waiting():  # else the next check reparses anyway
            doc.refresh()  # the reparse an unchecked edit left for the next check
        if doc.rebuilt:  # what the document now holds is long-lived
            doc.rebuilt = False
            self.collector.keep()

    def _publish(self, doc: GuardedDocument, *, force: bool = False) -> None:
        """Publish ``doc``'s diagnostics unless unchanged, or for a version older
        than one already published (a client that re-sent an old version)."""
        if doc.published_version is not None and doc.version < doc.published_version:
            return
        infos = self.session.diagnostics(doc)
        if not force and infos == doc.published:
            return
        doc.published = infos
        doc.published_version = doc.version
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=doc.uri,
                version=doc.version,
                diagnostics=[lsp_diagnostic(i, doc.uri) for i in infos],
            )
        )

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls' default shows raw exceptions; genguard reports its own errors
        # precisely in handlers, so anything landing here is logged clearly.
        log.error("internal error (%s): %s", getattr(source, "__name__", source), error)
        self.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Error, message=f"genguard internal error: {error}"
            )
        )


def create_server() -> GuardServer:
    from genguard.lsp import actions, lifecycle, provenance, sync

    server = GuardServer()
    for feature in (lifecycle, sync, provenance, actions):
        feature.setup(server)
    return server


def serve(*, cache_dir: Path | None = None) -> None:
    server = create_server()
    server.cache_dir = cache_dir
    server.stdin_guard = BoundedStdin(sys.stdin.buffer)
    server.start_io(stdin=server.stdin_guard)  # type: ignore[arg-type]
