// Test-only extension for tests/vscode: records, from inside the extension
// host, the diagnostics (on every change), the genguard status bar text and
// the results of the requests the test sends, as JSON lines appended to
// $GENGUARD_E2E_RECORD. Requests arrive as JSON lines appended to
// $GENGUARD_E2E_REQUESTS. It also offers $GENGUARD_E2E_COMPLETION as an inline
// completion on an empty line that follows a "# complete:" line.
'use strict';
const fs = require('fs');
const vscode = require('vscode');

const RECORD = process.env.GENGUARD_E2E_RECORD;
const REQUESTS = process.env.GENGUARD_E2E_REQUESTS;
const POLL_MS = 100;

function record(entry) {
  fs.appendFileSync(RECORD, JSON.stringify({ t: Date.now(), ...entry }) + '\n');
}

function plainRange(r) {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function diagnosticsOf(uri) {
  return vscode.languages.getDiagnostics(uri).map((d) => ({
    code: typeof d.code === 'object' && d.code !== null ? String(d.code.value) : d.code === undefined ? null : String(d.code),
    source: d.source ?? null,
    severity: d.severity,
    message: d.message,
    range: plainRange(d.range),
  }));
}

function genguard() {
  const ext = vscode.extensions.getExtension('genguard.genguard');
  return ext && ext.isActive ? ext.exports : undefined;
}

function documentFor(path) {
  return vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path);
}

const ops = {
  async open({ path }) {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
    return { uri: editor.document.uri.toString(), languageId: editor.document.languageId };
  },
  async select({ line, character }) {
    const editor = vscode.window.activeTextEditor;
    const at = new vscode.Position(line, character);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at));
    return { line, character };
  },
  async text({ path }) {
    const d = documentFor(path);
    return d ? { text: d.getText(), version: d.version, dirty: d.isDirty } : null;
  },
  async diagnostics({ path }) {
    return diagnosticsOf(vscode.Uri.file(path));
  },
  async provenance({ path }) {
    const api = genguard();
    return api ? (await api.provenance(vscode.Uri.file(path).toString())) ?? null : null;
  },
  async status() {
    const api = genguard();
    return api ? api.statusBar() : null;
  },
  async command({ name, args }) {
    const result = await vscode.commands.executeCommand(name, ...(args ?? []));
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  },
  async codeActions({ path, line, character }) {
    const at = new vscode.Position(line, character);
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider', vscode.Uri.file(path), new vscode.Range(at, at),
    );
    return (actions ?? []).map((a) => ({ title: a.title, kind: a.kind ? a.kind.value : null }));
  },
};

let offset = 0;
let busy = false;
async function pollRequests() {
  if (busy || !fs.existsSync(REQUESTS)) return;
  busy = true;
  try {
    const data = fs.readFileSync(REQUESTS, 'utf8');
    const end = data.lastIndexOf('\n') + 1;
    const lines = data.slice(offset, end).split('\n').filter((l) => l.trim());
    offset = end;
    for (const line of lines) {
      const req = JSON.parse(line);
      try {
        const value = await ops[req.op](req);
        record({ kind: 'result', id: req.id, op: req.op, ok: true, value: value ?? null });
      } catch (error) {
        record({ kind: 'result', id: req.id, op: req.op, ok: false, error: String(error && error.stack ? error.stack : error) });
      }
    }
  } finally {
    busy = false;
  }
}

function activate(context) {
  if (!RECORD || !REQUESTS) return;
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) {
        record({ kind: 'diagnostics', uri: uri.toString(), path: uri.fsPath, diagnostics: diagnosticsOf(uri) });
      }
    }),
    vscode.languages.registerInlineCompletionItemProvider({ language: 'python' }, {
      provideInlineCompletionItems(document, position) {
        const completion = process.env.GENGUARD_E2E_COMPLETION;
        if (!completion || position.line === 0) return [];
        const line = document.lineAt(position.line).text;
        const previous = document.lineAt(position.line - 1).text;
        if (line.trim() !== '' || previous.trim() !== '# complete:') return [];
        record({ kind: 'completion-offered', line: position.line });
        return [new vscode.InlineCompletionItem(completion, new vscode.Range(position, position))];
      },
    }),
  );
  let lastStatus = '';
  const timer = setInterval(() => {
    void pollRequests();
    const api = genguard();
    const status = api ? api.statusBar() : null;
    const key = JSON.stringify(status);
    if (status && key !== lastStatus) {
      lastStatus = key;
      record({ kind: 'status', ...status });
    }
  }, POLL_MS);
  context.subscriptions.push({ dispose: () => clearInterval(timer) });
  record({ kind: 'ready', pid: process.pid });
}

module.exports = { activate, deactivate() {} };
