import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { declarations } from '../src/core/declarations';

const URI = 'file:///ws/app.py';

describe('declarations', () => {
  it('declares an accepted suggestion at the version after its edit', () => {
    const before = 'def area(r):\n    \n';
    const out = declarations(URI, before, [{ changes: [{ rangeOffset: 17, rangeLength: 0, text: 'return 3.14159 * r * r' }], version: 8 }], 'copilot', 'inline-completion');
    assert.deepEqual(out, [
      {
        textDocument: { uri: URI, version: 8 },
        range: { start: { line: 1, character: 4 }, end: { line: 1, character: 26 } },
        tool: 'copilot',
        kind: 'inline-completion',
      },
    ]);
  });

  it('joins word-by-word accepts that arrive as separate events into one declaration', () => {
    const before = 'x = \n';
    const batches = [
      { changes: [{ rangeOffset: 4, rangeLength: 0, text: 'compute(' }], version: 3 },
      { changes: [{ rangeOffset: 12, rangeLength: 0, text: 'a, ' }], version: 4 },
      { changes: [{ rangeOffset: 15, rangeLength: 0, text: 'b)' }], version: 5 },
    ];
    const out = declarations(URI, before, batches, 'inline-completion-provider', 'inline-completion');
    assert.equal(out.length, 1);
    assert.equal(out[0].textDocument.version, 5);
    assert.deepEqual(out[0].range, { start: { line: 0, character: 4 }, end: { line: 0, character: 17 } });
  });

  it('declares nothing for accepted indentation or an edit that changed nothing', () => {
    const before = 'if x:\n\n';
    assert.deepEqual(declarations(URI, before, [{ changes: [{ rangeOffset: 6, rangeLength: 0, text: '    ' }], version: 2 }], 'copilot', 'inline-completion'), []);
    assert.deepEqual(declarations(URI, before, [], 'copilot', 'inline-completion'), []);
    assert.deepEqual(declarations(URI, before, [{ changes: [{ rangeOffset: 0, rangeLength: 2, text: 'if' }], version: 3 }], 'copilot', 'chat'), []);
  });

  it('gives separate hunks of one chat edit separate declarations', () => {
    const before = 'a = 1\n\nb = 2\n';
    const changes = [
      { rangeOffset: 13, rangeLength: 0, text: 'def g():\n    return b\n' },
      { rangeOffset: 6, rangeLength: 0, text: 'def f():\n    return a\n' },
    ];
    const out = declarations(URI, before, [{ changes, version: 9 }], 'copilot', 'chat');
    assert.deepEqual(
      out.map((d) => [d.range.start.line, d.range.end.line, d.kind]),
      [
        [1, 3, 'chat'],
        [5, 7, 'chat'],
      ],
    );
  });
});
