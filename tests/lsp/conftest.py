"""The real server over a real stdio pipe, once per client profile (VS Code, Neovim)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from tests.lsp.editor import Editor

CACHE_DIR = tempfile.mkdtemp(prefix="genguard-test-cache-")
SERVER = [sys.executable, "-m", "genguard", "serve", "--cache-dir", CACHE_DIR]
PROFILES = ["visual-studio-code", "neovim@v0.11.0"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, repo: Path):
    registrations: list = []
    lsp_client.registrations = registrations

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=repo.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=repo.as_uri(), name="repo")],
    )
    result = await lsp_client.initialize_session(params)
    lsp_client.position_encoding = result.capabilities.position_encoding or "utf-16"
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def editor_for(client: LanguageClient, repo: Path):
    def make(name: str, text: str = "", language_id: str = "python") -> Editor:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        ed = Editor(client, path, text, language_id)
        ed.encoding = str(getattr(client, "position_encoding", "utf-16"))
        ed.open()
        return ed

    return make
