"""initialize/initialized and configuration reloads."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from genguard.config.options import editor_view
from genguard.config.paths import org_policy_file, user_config_file
from genguard.lsp.convert import encoding_name
from genguard.lsp.server import GuardServer
from genguard.session.session import Session, uri_to_path

CONFIG_FILES = (".genguard.toml", "pyproject.toml")
#: Server -> client: the settings an editor needs (``[heuristics]``), on start and reload.
SETTINGS = "genguard/settings"
RULE_FILE_GLOBS = ("**/.genguard/rules/*.yaml", "**/.genguard/rules/*.yml")


def _root(params: types.InitializeParams) -> Path | None:
    if params.workspace_folders:
        path = uri_to_path(params.workspace_folders[0].uri)
        if path is not None:
            return path
    if params.root_uri:
        return uri_to_path(params.root_uri)
    if params.root_path:
        return Path(params.root_path)
    return None


def report_problems(server: GuardServer) -> None:
    problems = server.session.problems
    for p in problems.config:
        level = types.MessageType.Error if p.severity == "error" else types.MessageType.Warning
        after = "the rest applies" if p.refused else "defaults are used for what is invalid"
        server.tell(f"genguard config: {p} ({after})", level)
    for e in problems.rules:
        server.tell(f"genguard rules: {e} (rule skipped)", types.MessageType.Warning)
    publish_config_problems(server)


def publish_config_problems(server: GuardServer) -> None:
    """Configuration problems as diagnostics on the files they are in (refused
    settings included), cleared from files that no longer have any."""
    found: dict[str, list[types.Diagnostic]] = {}
    for p in server.session.problems.config:
        line = max((p.line or 1) - 1, 0)
        found.setdefault(p.path.absolute().as_uri(), []).append(
            types.Diagnostic(
                range=types.Range(
                    start=types.Position(line=line, character=0),
                    end=types.Position(line=line + 1, character=0),
                ),
                message=p.message,
                severity=types.DiagnosticSeverity.Error
                if p.severity == "error"
                else types.DiagnosticSeverity.Warning,
                code="genguard.config-refused" if p.refused else "genguard.config",
                source="genguard",
            )
        )
    for uri in server.config_uris - found.keys():
        found[uri] = []
    for uri, diagnostics in found.items():
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
        )
    server.config_uris = {uri for uri, diagnostics in found.items() if diagnostics}


def send_settings(server: GuardServer) -> None:
    """Tell the client what it must agree with (options declared ``editor=True``)."""
    server.protocol.notify(SETTINGS, editor_view(server.session.settings))


def reload(server: GuardServer) -> None:
    server.session.reload()
    server.collector.forget()  # the documents' old state may go
    report_problems(server)
    send_settings(server)
    for doc in list(server.session.documents.values()):
        server.check_and_publish(doc, force=True)


def is_rule_file(uri: str) -> bool:
    """A repository rule file (``.genguard/rules/*.yaml``)."""
    path = uri_to_path(uri)
    return (
        path is not None
        and path.suffix in (".yaml", ".yml")
        and path.parent.name == "rules"
        and path.parent.parent.name == ".genguard"
    )


def trusted_config_files() -> tuple[Path, ...]:
    """The organisation's and the user's configuration files (they may not exist yet)."""
    return tuple(p for p in (org_policy_file(), user_config_file()) if p is not None)


def is_config(uri: str) -> bool:
    """A file whose change reloads the policy: any configuration layer, or repository rules."""
    path = uri_to_path(uri)
    if path is None:
        return False
    return path.name in CONFIG_FILES or is_rule_file(uri) or path in trusted_config_files()


def _trusted_watchers() -> list[types.FileSystemWatcher]:
    """Watchers for the trusted layers' files, which live outside the workspace."""
    return [
        types.FileSystemWatcher(
            glob_pattern=types.RelativePattern(base_uri=path.parent.as_uri(), pattern=path.name)
        )
        for path in trusted_config_files()
        if path.parent.is_dir()
    ]


def setup(server: GuardServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: GuardServer, params: types.InitializeParams) -> None:
        encoding = encoding_name(ls.protocol.workspace.position_encoding)
        ls.session = Session(_root(params), encoding=encoding, cache_dir=ls.cache_dir)

    @server.feature(types.INITIALIZED)
    def initialized(ls: GuardServer, params: types.InitializedParams) -> None:
        report_problems(ls)
        send_settings(ls)
        caps = ls.client_capabilities.workspace
        watch = caps and caps.did_change_watched_files
        if watch and watch.dynamic_registration:
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="genguard-config-watch",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[
                                    *(
                                        types.FileSystemWatcher(glob_pattern=f"**/{name}")
                                        for name in CONFIG_FILES
                                    ),
                                    *(
                                        types.FileSystemWatcher(glob_pattern=glob)
                                        for glob in RULE_FILE_GLOBS
                                    ),
                                    *(
                                        _trusted_watchers()
                                        if watch.relative_pattern_support
                                        else ()
                                    ),
                                ]
                            ),
                        )
                    ]
                )
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: GuardServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_config(change.uri) for change in params.changes):
            reload(ls)
