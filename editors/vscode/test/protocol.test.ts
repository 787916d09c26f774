import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aiEditParams, justificationProblem, needsJustification } from '../src/core/protocol';

describe('suppress justification', () => {
  it('is asked for only when the code action sent three arguments', () => {
    assert.equal(needsJustification('genguard.suppress', ['file:///a.py', 'c1', 'py-eval']), true);
    assert.equal(needsJustification('genguard.suppress', ['file:///a.py', 'c1', 'py-eval', 'test fixture']), false);
    assert.equal(needsJustification('genguard.markReviewed', ['file:///a.py', 'c1', 'x']), false);
  });

  it('is required and must say something', () => {
    assert.ok(justificationProblem(''));
    assert.ok(justificationProblem('   '));
    assert.ok(justificationProblem('...'));
    assert.equal(justificationProblem('input is a constant'), undefined);
    assert.equal(justificationProblem('定数のみ'), undefined);
  });
});

describe('aiEdit params', () => {
  it('carries the document version and leaves out an unknown model', () => {
    const range = { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } };
    assert.deepEqual(aiEditParams('file:///a.py', 7, range, 'copilot', 'inline-completion'), {
      textDocument: { uri: 'file:///a.py', version: 7 },
      range,
      tool: 'copilot',
      kind: 'inline-completion',
    });
  });
});

describe('core modules', () => {
  it('do not import vscode, so they run under node --test', () => {
    const dir = join(__dirname, '..', '..', 'src', 'core');
    for (const file of readdirSync(dir)) {
      const source = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(source, /from ['"]vscode['"]|require\(['"]vscode['"]\)/, file);
    }
  });
});
