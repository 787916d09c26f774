"""A real VS Code (code-server) driven by a real Chromium, observed from inside.

`Workbench` starts code-server on 127.0.0.1 with a fresh user-data dir, opens its
workspace in Chromium through playwright, and talks to the test-only observer
extension (tests/vscode/observer) through two files: requests go into one, and
everything the extension host sees (diagnostics on change, the genguard status
bar text, request results) comes back as JSON lines in the other. Keys and
clipboard go through the browser, as a user's would.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT = 60.0
WAIT_TIMEOUT = 30.0

# Keys that would change typed or pasted text behind the test's back are off, so
# the document holds exactly what was typed or pasted.
BASE_SETTINGS: dict[str, Any] = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "security.workspace.trust.enabled": False,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "update.mode": "none",
    "files.autoSave": "off",
    "editor.autoClosingBrackets": "never",
    "editor.autoClosingQuotes": "never",
    "editor.autoClosingOvertype": "never",
    "editor.autoSurround": "never",
    "editor.autoIndent": "none",
    "editor.formatOnPaste": False,
    "editor.formatOnType": False,
    "editor.quickSuggestions": {"other": "off", "comments": "off", "strings": "off"},
    "editor.suggestOnTriggerCharacters": False,
    "editor.acceptSuggestionOnEnter": "off",
    "editor.wordBasedSuggestions": "off",
    "editor.parameterHints.enabled": False,
    "editor.inlineSuggest.enabled": True,
    "editor.lightbulb.enabled": "on",
    "git.enableSmartCommit": True,
    "git.autofetch": False,
    "git.autoRepositoryDetection": True,
    "git.confirmSync": False,
    "git.openRepositoryInParentFolders": "never",
    "git.terminalAuthentication": False,
    "git.useEditorAsCommitInput": False,
}


class WorkbenchError(AssertionError):
    """A wait that ran out or a request that failed; says where the artefacts go."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def install_extensions(entry: Path, extensions_dir: Path, vsixes: list[Path], tmp: Path) -> None:
    """Installs .vsix files with code-server's own CLI (as `code --install-extension`)."""
    args = ["node", str(entry), "--extensions-dir", str(extensions_dir)]
    args += ["--user-data-dir", str(tmp / "install-user-data")]
    for vsix in vsixes:
        args += ["--install-extension", str(vsix)]
    env = {**os.environ, **_xdg(tmp / "install-xdg")}
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"installing {vsixes} failed:\n{proc.stdout}\n{proc.stderr}")


def _xdg(root: Path) -> dict[str, str]:
    return {
        name: str(root / name.lower())
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
    }


class Workbench:
    """One code-server + Chromium session on one workspace; `close()` ends both."""

    def __init__(
        self,
        *,
        entry: Path,
        extensions_dir: Path,
        root: Path,
        workspace: Path,
        settings: dict[str, Any],
        artefacts: Path,
        env: dict[str, str] | None = None,
    ) -> None:
        self.entry = entry
        self.extensions_dir = extensions_dir
        self.root = root
        self.workspace = workspace
        self.artefacts = artefacts
        self.user_data = root / "user-data"
        self.record_file = root / "record.jsonl"
        self.requests_file = root / "requests.jsonl"
        self.log_file = root / "code-server.log"
        self.extra_env = env or {}
        self.settings = {**BASE_SETTINGS, **settings}
        self.proc: subprocess.Popen[bytes] | None = None
        self._pw: Any = None
        self.browser: Any = None
        self.page: Any = None
        self._ids = itertools.count(1)
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------
    def write_settings(self, settings: dict[str, Any]) -> None:
        """Replaces the user settings (VS Code picks the file change up)."""
        self.settings = {**BASE_SETTINGS, **settings}
        user = self.user_data / "User"
        user.mkdir(parents=True, exist_ok=True)
        (user / "settings.json").write_text(json.dumps(self.settings, indent=2))

    def start(self) -> None:
        self.write_settings({k: v for k, v in self.settings.items() if k not in BASE_SETTINGS})
        self.record_file.write_text("")
        self.requests_file.write_text("")
        self.port = free_port()
        env = {
            **os.environ,
            **_xdg(self.root / "xdg"),
            "GENGUARD_E2E_RECORD": str(self.record_file),
            "GENGUARD_E2E_REQUESTS": str(self.requests_file),
            **self.extra_env,
        }
        args = [
            "node",
            str(self.entry),
            "--bind-addr",
            f"127.0.0.1:{self.port}",
            "--auth",
            "none",
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
            "--disable-getting-started-override",
            "--user-data-dir",
            str(self.user_data),
            "--extensions-dir",
            str(self.extensions_dir),
            str(self.workspace),
        ]
        with self.log_file.open("wb") as log:
            # its own process group, so close() can end the extension host and the
            # language server it started along with it
            self.proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        self._wait_healthy()
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        origin = f"http://127.0.0.1:{self.port}"
        context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        self.page = context.new_page()
        self.page.goto(f"{origin}/?folder={self.workspace}", wait_until="domcontentloaded")
        self.wait_for(
            lambda: self.records("ready"), "the observer extension to start", START_TIMEOUT
        )

    def _wait_healthy(self) -> None:
        url = f"http://127.0.0.1:{self.port}/healthz"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise self.failure(f"code-server exited ({self.proc.returncode})")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(url, timeout=2) as resp,
            ):
                if resp.status == 200:
                    return
            time.sleep(0.2)
        raise self.failure(f"code-server did not answer {url} in {START_TIMEOUT:.0f} s")

    def screenshot(self) -> Path | None:
        if self.page is None:
            return None
        self.artefacts.mkdir(parents=True, exist_ok=True)
        path = self.artefacts / "screenshot.png"
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(path))
            return path
        return None

    def keep_artefacts(self) -> None:
        """Screenshot plus what code-server and the observer logged, for a failed test."""
        self.artefacts.mkdir(parents=True, exist_ok=True)
        self.screenshot()
        for f in (self.record_file, self.requests_file, self.log_file):
            if f.exists():
                (self.artefacts / f.name).write_bytes(f.read_bytes())
        logs = self.user_data / "logs"
        for log in logs.rglob("*.log") if logs.exists() else []:
            target = self.artefacts / "logs" / log.relative_to(logs)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(log.read_bytes())

    def close(self) -> None:
        """Ends the browser, playwright's driver and code-server (by its pid and group)."""
        for step in (
            lambda: self.browser and self.browser.close(),
            lambda: self._pw and self._pw.stop(),
        ):
            with contextlib.suppress(Exception):
                step()
        self.browser = self._pw = self.page = None
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        # the group outlives its leader when a child ignores SIGTERM
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    # -- what the extension host saw ---------------------------------------------------
    def records(self, kind: str | None = None) -> list[dict[str, Any]]:
        out = []
        for line in self.record_file.read_text().splitlines():
            if line.strip():
                entry = json.loads(line)
                if kind is None or entry["kind"] == kind:
                    out.append(entry)
        return out

    def request(self, op: str, timeout: float = WAIT_TIMEOUT, **params: Any) -> Any:
        """Runs an observer operation inside the extension host and returns its value."""
        rid = next(self._ids)
        with self.requests_file.open("a") as f:
            f.write(json.dumps({"id": rid, "op": op, **params}) + "\n")
        found = self.wait_for(
            lambda: [r for r in self.records("result") if r["id"] == rid],
            f"the result of {op} {params}",
            timeout,
        )
        result = found[0]
        if not result["ok"]:
            raise self.failure(f"{op} {params} failed in the extension host: {result['error']}")
        return result["value"]

    def wait_for(self, probe: Callable[[], Any], what: str, timeout: float = WAIT_TIMEOUT) -> Any:
        """Polls ``probe`` until it returns something truthy, for at most ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise self.failure(f"waited {timeout:.0f} s for {what}")
            if self.proc is not None and self.proc.poll() is not None:
                raise self.failure(
                    f"code-server exited ({self.proc.returncode}) waiting for {what}"
                )
            time.sleep(0.2)

    def failure(self, message: str) -> WorkbenchError:
        return WorkbenchError(f"{message} (screenshot and logs: {self.artefacts})")

    def diagnostics(self, path: Path) -> list[dict[str, Any]]:
        return self.request("diagnostics", path=str(path))

    def provenance(self, path: Path) -> dict[str, Any]:
        """Also a barrier: the server answers after handling every earlier change."""
        return self.request("provenance", path=str(path))

    def status(self) -> dict[str, Any] | None:
        return self.request("status")

    def text(self, path: Path) -> dict[str, Any]:
        return self.request("text", path=str(path))

    # -- what a user does ------------------------------------------------------------------
    def open(self, path: Path) -> None:
        """Opens ``path`` in an editor and gives that editor the keyboard."""
        self.request("open", path=str(path))
        self.page.locator(".monaco-editor .view-lines").first.click()
        self.request("open", path=str(path))

    def goto_end(self) -> None:
        self.page.keyboard.press("Control+End")

    def paste(self, text: str) -> None:
        """A real paste: the text goes on the system clipboard, then Ctrl+V."""
        self.page.evaluate("text => navigator.clipboard.writeText(text)", text)
        self.page.keyboard.press("Control+V")

    def type(self, text: str) -> None:
        """Typing: one document change per character."""
        for ch in text:
            if ch == "\n":
                self.page.keyboard.press("Enter")
            else:
                self.page.keyboard.insert_text(ch)

    def save(self) -> None:
        self.page.keyboard.press("Control+S")

    def exthost_log(self) -> str:
        """The extension host's log (where VS Code reports dropped code actions)."""
        logs = self.user_data / "logs"
        return "".join(p.read_text(errors="replace") for p in logs.rglob("*exthost.log"))

    def notification(self, needle: str) -> Any:
        """The visible notification toast whose text contains ``needle``."""
        toast = self.page.locator(".notification-toast", has_text=needle).first
        toast.wait_for(state="visible", timeout=WAIT_TIMEOUT * 1000)
        return toast

    def open_lightbulb(self) -> list[str]:
        """Clicks the editor's light bulb and returns the titles its menu offers."""
        bulb = self.page.locator(".lightBulbWidget").first
        bulb.wait_for(state="visible", timeout=WAIT_TIMEOUT * 1000)
        bulb.click()
        rows = self.page.locator(".action-widget .monaco-list-row.action")
        rows.first.wait_for(state="visible", timeout=WAIT_TIMEOUT * 1000)
        return [t.strip() for t in rows.all_inner_texts()]

    def choose_action(self, title_part: str) -> None:
        """Runs the open action menu's entry whose title contains ``title_part``, with
        the keyboard (the menu's pointer guard swallows synthetic clicks)."""
        rows = self.page.locator(".action-widget .monaco-list-row.action")
        for _ in range(rows.count() + 1):
            focused = self.page.locator(".action-widget .monaco-list-row.action.focused")
            if focused.count() and title_part in focused.first.inner_text():
                self.page.keyboard.press("Enter")
                return
            self.page.keyboard.press("ArrowDown")
        raise self.failure(f"no {title_part!r} in the action menu: {rows.all_inner_texts()}")

    def quick_input(self, text: str) -> None:
        """Answers the input box VS Code shows (showInputBox)."""
        box = self.page.locator(".quick-input-widget input").first
        box.wait_for(state="visible", timeout=WAIT_TIMEOUT * 1000)
        box.fill(text)
        box.press("Enter")
