import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex, snapOffset } from '../src/core/positions';

describe('LineIndex', () => {
  it('counts lines ended by \\n, \\r\\n and a lone \\r', () => {
    const index = new LineIndex('a\nb\r\nc\rd');
    assert.deepEqual(index.starts, [0, 2, 5, 7]);
    assert.equal(index.lineCount, 4);
  });

  it('converts offsets after CRLF line breaks both ways', () => {
    const text = 'def f():\r\n    return 1\r\n';
    const index = new LineIndex(text);
    const offset = text.indexOf('return');
    assert.deepEqual(index.positionAt(offset), { line: 1, character: 4 });
    assert.equal(index.offsetAt({ line: 1, character: 4 }), offset);
    assert.deepEqual(index.positionAt(text.length), { line: 2, character: 0 });
  });

  it('never places a position between \\r and \\n', () => {
    const text = 'ab\r\ncd';
    const index = new LineIndex(text);
    assert.deepEqual(index.positionAt(3), { line: 0, character: 2 });
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 2);
    assert.equal(snapOffset(text, 3), 2);
  });

  it('counts an emoji as two UTF-16 code units, as LSP does', () => {
    const text = 's = "😀"  # ok\nx = 1';
    const index = new LineIndex(text);
    const hash = text.indexOf('#');
    // 😀 is U+1F600: one code point, two UTF-16 units
    assert.deepEqual(index.positionAt(hash), { line: 0, character: 10 });
    assert.equal(index.offsetAt({ line: 0, character: 10 }), hash);
  });

  it('does not split a surrogate pair', () => {
    const text = 'a😀b';
    const index = new LineIndex(text);
    assert.deepEqual(index.positionAt(2), { line: 0, character: 1 });
    assert.equal(index.offsetAt({ line: 0, character: 2 }), 1);
    assert.equal(index.offsetAt({ line: 0, character: 3 }), 3);
  });

  it('clamps positions outside the text', () => {
    const index = new LineIndex('one\ntwo');
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 7);
    assert.equal(index.offsetAt({ line: -1, character: 3 }), 0);
    assert.equal(index.offsetAt({ line: 1, character: 50 }), 7);
    assert.deepEqual(index.positionAt(-4), { line: 0, character: 0 });
  });

  it('agrees with a naive conversion on every offset of a mixed text', () => {
    const text = 'x = "é😀"\r\n\ty\n\nz😀\r';
    const index = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      const snapped = snapOffset(text, o);
      const p = index.positionAt(o);
      const head = text.slice(0, snapped);
      const lines = head.split(/\r\n|\r|\n/);
      const expected = { line: lines.length - 1, character: lines[lines.length - 1].length };
      if (head.endsWith('\r') && text[snapped] === '\n') continue; // snapped away from CRLF middles
      assert.deepEqual(p, expected, `offset ${o}`);
      assert.equal(index.offsetAt(p), snapped, `round trip of ${o}`);
    }
  });
});
