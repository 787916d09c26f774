import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expandVariables, explainProbe, probeOf, resolveLaunch, runProbe } from '../src/core/launch';

const vars = { workspaceFolder: '/work/app', userHome: '/home/ana', env: { VENV: '/opt/venv' } };

describe('resolveLaunch', () => {
  it('runs genguard from PATH by default', () => {
    assert.deepEqual(resolveLaunch({ path: '', interpreter: '', args: [] }, vars), {
      command: 'genguard',
      args: ['serve'],
      via: 'default',
    });
  });

  it('runs a configured interpreter with -m genguard, and extra args after serve', () => {
    const launch = resolveLaunch(
      { path: '', interpreter: '${workspaceFolder}/.venv/bin/python', args: ['--log-file', '~/gg.log'] },
      vars,
    );
    assert.deepEqual(launch, {
      command: '/work/app/.venv/bin/python',
      args: ['-m', 'genguard', 'serve', '--log-file', '/home/ana/gg.log'],
      via: 'interpreter',
    });
    assert.deepEqual(probeOf(launch).args, ['-m', 'genguard', '--version']);
  });

  it('prefers genguard.path over genguard.interpreter', () => {
    const launch = resolveLaunch({ path: '${env:VENV}/bin/genguard', interpreter: '/usr/bin/python3', args: [] }, vars);
    assert.equal(launch.command, '/opt/venv/bin/genguard');
    assert.equal(launch.via, 'path');
    assert.deepEqual(probeOf(launch).args, ['--version']);
  });

  it('expands variables like VS Code settings do', () => {
    assert.equal(expandVariables(' ~/bin/genguard ', vars), '/home/ana/bin/genguard');
    assert.equal(expandVariables('${userHome}/x:${env:MISSING}:${workspaceFolder}', vars), '/home/ana/x::/work/app');
    assert.equal(expandVariables('${workspaceFolder}/x', { env: {} }), '${workspaceFolder}/x');
  });
});

describe('start failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genguard-launch-'));

  it('explains a genguard missing from PATH, with the install command', async () => {
    const launch = resolveLaunch({ path: '', interpreter: '', args: [] }, { env: {} });
    const missing = { ...launch, command: join(dir, 'no-such-genguard') };
    const probe = await runProbe(missing, dir);
    assert.equal(probe.code, 'ENOENT');
    const failure = explainProbe(launch, probe);
    assert.ok(failure);
    assert.match(failure.message, /pip install genguard/);
    assert.match(failure.message, /genguard\.path/);
    assert.match(failure.message, /genguard\.interpreter/);
    assert.deepEqual(failure.fixes, ['pip install genguard']);
  });

  it('names the setting when a configured path does not exist', async () => {
    const launch = resolveLaunch({ path: join(dir, 'nowhere', 'genguard'), interpreter: '', args: [] }, vars);
    const failure = explainProbe(launch, await runProbe(launch, dir));
    assert.match(failure?.message ?? '', /^genguard\.path is set to ".*nowhere\/genguard", which does not exist/);
  });

  it('explains a file that is not executable', async () => {
    const file = join(dir, 'genguard-not-executable');
    writeFileSync(file, '#!/bin/sh\necho genguard 0\n');
    chmodSync(file, 0o644);
    const launch = resolveLaunch({ path: file, interpreter: '', args: [] }, vars);
    const failure = explainProbe(launch, await runProbe(launch, dir));
    assert.match(failure?.message ?? '', /is not executable/);
  });

  it('explains a Python that lacks genguard, with that Python in the install command', async () => {
    // a real Python without site-packages, so `-m genguard` cannot be found
    const python = join(dir, 'python-without-genguard');
    writeFileSync(python, '#!/bin/sh\nexec python3 -S -I "$@"\n');
    chmodSync(python, 0o755);
    const launch = resolveLaunch({ path: '', interpreter: python, args: [] }, vars);
    const probe = await runProbe(launch, dir);
    assert.equal(probe.exitCode, 1);
    const failure = explainProbe(launch, probe);
    assert.match(failure?.message ?? '', /does not have genguard/);
    assert.deepEqual(failure?.fixes, [`${python} -m pip install genguard`]);
  });

  it('accepts a command that answers --version with genguard', async () => {
    const fake = join(dir, 'genguard-ok');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = "--version" ] && echo "genguard 0.1.0"\n');
    chmodSync(fake, 0o755);
    const launch = resolveLaunch({ path: fake, interpreter: '', args: [] }, vars);
    assert.equal(explainProbe(launch, await runProbe(launch, dir)), undefined);
  });

  it('reports the last line of what a broken install printed', () => {
    const launch = resolveLaunch({ path: '', interpreter: '', args: [] }, vars);
    const failure = explainProbe(launch, {
      exitCode: 1,
      stderr: 'Traceback (most recent call last):\n  ...\nImportError: cannot import name "Query" from "tree_sitter"\n',
    });
    assert.match(failure?.message ?? '', /failed \(exit 1\): ImportError: cannot import name "Query"/);
  });
});
