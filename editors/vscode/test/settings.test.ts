/**
 * The real server tells the extension a workspace's `[heuristics]`
 * (`genguard/settings`), and the extension's thresholds follow. Skipped when no
 * Python with genguard is found, unless GENGUARD_E2E=required.
 */

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { DEFAULT_THRESHOLDS, withServerSettings } from '../src/core/classify';
import { explainProbe, resolveLaunch, runProbe } from '../src/core/launch';
import { SETTINGS } from '../src/core/protocol';

const launch = resolveLaunch(
  { path: '', interpreter: process.env.GENGUARD_PYTHON ?? 'python3', args: [] },
  { env: process.env },
);

describe('genguard/settings from the server', () => {
  it("carries the workspace's heuristics", async (t) => {
    const failure = explainProbe(launch, await runProbe(launch, undefined));
    if (failure) {
      if (process.env.GENGUARD_E2E === 'required') throw new Error(failure.message);
      return t.skip(`no genguard server: ${failure.message}`);
    }
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'genguard-vscode-')));
    execFileSync('git', ['init', '-q'], { cwd: root, stdio: 'ignore' });
    writeFileSync(join(root, '.genguard.toml'), '[heuristics]\nmin_lines = 6\nmin_chars = 75\n');
    const server = spawn(launch.command, launch.args, {
      cwd: root,
      env: { ...process.env, XDG_CACHE_HOME: join(root, '.cache') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let log = '';
    server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const conn = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    const received = new Promise<unknown>((resolve) => conn.onNotification(SETTINGS, resolve));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    try {
      const rootUri = pathToFileURL(root).href;
      await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'ws' }],
        capabilities: {},
      });
      await conn.sendNotification('initialized', {});
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${SETTINGS}: ${log}`)), 20_000));
      const settings = await Promise.race([received, timeout]);
      const thresholds = withServerSettings(DEFAULT_THRESHOLDS, settings);
      assert.deepEqual([thresholds.minLines, thresholds.minChars], [6, 75]);
    } finally {
      await conn.sendRequest('shutdown').catch(() => undefined);
      await conn.sendNotification('exit').catch(() => undefined);
      conn.dispose();
      server.kill();
    }
  });
});
