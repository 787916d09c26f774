/**
 * The extension's computations against the real genguard server over stdio:
 * the ranges the core derives from an accept (CRLF lines, emoji) must be the
 * ranges the server records, and the suppress command must need the fourth
 * argument the client asks for. Skipped when no Python with genguard is found,
 * unless GENGUARD_E2E=required (as in CI, after `pip install -e .`).
 */

import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { applyChanges, insertedSpans, type TextChange } from '../src/core/diff';
import { explainProbe, resolveLaunch, runProbe } from '../src/core/launch';
import { LineIndex } from '../src/core/positions';
import { AI_EDIT, aiEditParams, type FileProvenance, FILE_PROVENANCE, MARK_REVIEWED, SUPPRESS } from '../src/core/protocol';
import { statusView } from '../src/core/status';

const launch = resolveLaunch(
  { path: '', interpreter: process.env.GENGUARD_PYTHON ?? 'python3', args: [] },
  { env: process.env },
);

/** A document as the editor holds it, sending incremental changes like VS Code. */
class Doc {
  version = 1;
  constructor(
    private readonly conn: MessageConnection,
    readonly uri: string,
    public text: string,
  ) {}

  open(languageId: string): void {
    void this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: this.uri, languageId, version: this.version, text: this.text },
    });
  }

  /** Applies one change event; returns the text before it. */
  change(changes: TextChange[]): string {
    const before = this.text;
    // LSP ranges of each change against the text it applies to, in order
    let text = before;
    const content = changes.map((c) => {
      const index = new LineIndex(text);
      const range = index.rangeAt(c.rangeOffset, c.rangeOffset + c.rangeLength);
      text = applyChanges(text, [c]);
      return { range, text: c.text };
    });
    this.text = text;
    this.version++;
    void this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: content,
    });
    return before;
  }

  type(offset: number, chars: string): void {
    for (let i = 0; i < chars.length; i++) this.change([{ rangeOffset: offset + i, rangeLength: 0, text: chars[i] }]);
  }

  provenance(): Promise<FileProvenance> {
    return this.conn.sendRequest(FILE_PROVENANCE, { textDocument: { uri: this.uri } });
  }
}

describe('against the genguard server', () => {
  let server: ChildProcess | undefined;
  let conn: MessageConnection | undefined;
  let skip: string | undefined;
  let root = '';
  const messages: string[] = [];
  let log = ''; // the server's stderr, shown only when a test fails

  before(async () => {
    const failure = explainProbe(launch, await runProbe(launch, undefined));
    if (failure) {
      if (process.env.GENGUARD_E2E === 'required') throw new Error(failure.message);
      skip = `no genguard server: ${failure.message}`;
      return;
    }
    root = realpathSync(mkdtempSync(join(tmpdir(), 'genguard-vscode-')));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    git('config', 'user.email', 'reviewer@example.com');
    git('config', 'user.name', 'Reviewer');
    writeFileSync(join(root, 'README'), 'x\n');
    server = spawn(launch.command, launch.args, {
      cwd: root,
      env: { ...process.env, XDG_CACHE_HOME: join(root, '.cache') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const c = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('workspace/configuration', () => []);
    c.onNotification('window/showMessage', (p: { message: string }) => {
      messages.push(p.message);
    });
    c.listen();
    conn = c;
    const rootUri = pathToFileURL(root).href;
    await c.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      capabilities: { general: { positionEncodings: ['utf-16'] }, workspace: { executeCommand: {} } },
    });
    await c.sendNotification('initialized', {});
  });

  after(async () => {
    if (conn) {
      await conn.sendRequest('shutdown').catch(() => undefined);
      await conn.sendNotification('exit').catch(() => undefined);
      conn.dispose();
    }
    server?.kill();
  });

  it('records an accepted completion at the range the extension computes, after CRLF lines and emoji', async (t) => {
    if (skip || !conn) return t.skip(skip);
    const text = '# greeting 😀 for "héllo"\r\nimport os\r\n\r\ndef run(expr):\r\n    \r\n';
    const doc = new Doc(conn, pathToFileURL(join(root, 'app.py')).href, text);
    doc.open('python');
    const cursor = text.indexOf('    \r\n') + 4;
    doc.type(cursor, 'pri');
    // the accept: VS Code replaces the typed `pri` with the whole suggestion
    const suggestion = 'print("😀 running", expr)\r\n    value = eval(expr)\r\n    return value';
    const before = doc.change([{ rangeOffset: cursor, rangeLength: 3, text: suggestion }]);
    const { after: afterText, spans } = insertedSpans(before, [[{ rangeOffset: cursor, rangeLength: 3, text: suggestion }]]);
    assert.equal(afterText, doc.text);
    assert.equal(spans.length, 1);
    const range = new LineIndex(afterText).rangeAt(spans[0].start, spans[0].end);
    assert.deepEqual(range, { start: { line: 4, character: 7 }, end: { line: 6, character: 16 } });
    await conn.sendNotification(AI_EDIT, aiEditParams(doc.uri, doc.version, range, 'copilot', 'inline-completion'));

    const prov = await doc.provenance();
    assert.equal(prov.chunks.length, 1, JSON.stringify(prov));
    const [chunk] = prov.chunks;
    assert.deepEqual(
      { range: chunk.range, tool: chunk.tool, kind: chunk.kind, method: chunk.method, status: chunk.status },
      { range, tool: 'copilot', kind: 'inline-completion', method: 'declared', status: 'unreviewed' },
    );
    assert.ok(chunk.findings.includes('py-eval-exec'), JSON.stringify(chunk.findings));
    assert.match(statusView('running', prov).text, /^\$\(sparkle\) AI \d+% · 1 unreviewed$/);

    // what the code action sends is not enough: the client must add the justification
    const partial = await conn.sendRequest<{ ok: boolean; error?: string }>('workspace/executeCommand', {
      command: SUPPRESS,
      arguments: [doc.uri, chunk.id, 'py-eval-exec'],
    });
    assert.equal(partial.ok, false);
    assert.match(messages.join('\n'), /expects arguments \[uri, chunkId, ruleId, justification\], got 3/);
    const full = await conn.sendRequest<{ ok: boolean }>('workspace/executeCommand', {
      command: SUPPRESS,
      arguments: [doc.uri, chunk.id, 'py-eval-exec', 'expr comes from our own config file'],
    });
    assert.equal(full.ok, true);
    const reviewed = await conn.sendRequest<{ ok: boolean; reviewer: string }>('workspace/executeCommand', {
      command: MARK_REVIEWED,
      arguments: [doc.uri, chunk.id],
    });
    assert.deepEqual(reviewed, { ok: true, chunkId: chunk.id, reviewer: 'reviewer@example.com' });
    const after = await doc.provenance();
    assert.equal(after.chunks[0].status, 'reviewed');
    assert.deepEqual(after.chunks[0].findings, []);
    assert.doesNotMatch(statusView('running', after).text, /unreviewed/);
  });

  it('records each hunk of a multi-change chat edit where the extension says it is', async (t) => {
    if (skip || !conn) return t.skip(skip);
    messages.length = 0;
    const text = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n';
    const doc = new Doc(conn, pathToFileURL(join(root, 'main.go')).href, text);
    doc.open('go');
    const helper = '\nfunc greet(name string) string {\n\treturn fmt.Sprintf("hello, %s", name)\n}\n';
    const call = '\tfmt.Println(greet("gopher"))\n\tfmt.Println(greet("editor"))\n';
    // one event, listed from the end of the file backwards as VS Code does
    const changes: TextChange[] = [
      { rangeOffset: text.length, rangeLength: 0, text: helper },
      { rangeOffset: text.indexOf('}\n'), rangeLength: 0, text: call },
    ];
    const before = doc.change(changes);
    const { after: afterText, spans } = insertedSpans(before, [changes]);
    assert.equal(afterText, doc.text);
    const index = new LineIndex(afterText);
    for (const span of spans) {
      await conn.sendNotification(AI_EDIT, aiEditParams(doc.uri, doc.version, index.rangeAt(span.start, span.end), 'copilot', 'chat'));
    }
    const prov = await doc.provenance();
    const got = prov.chunks
      .map((c) => ({ kind: c.kind, method: c.method, text: afterText.slice(index.offsetAt(c.range.start), index.offsetAt(c.range.end)) }))
      .sort((a, b) => afterText.indexOf(a.text) - afterText.indexOf(b.text));
    assert.deepEqual(got, [
      { kind: 'chat', method: 'declared', text: call },
      { kind: 'chat', method: 'declared', text: helper },
    ]);
    assert.deepEqual(messages, [], `the server complained about a declaration; its log:\n${log}`);
  });
});
