import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChanges, difference, hasContent, insertedSpans, type TextChange } from '../src/core/diff';
import { LineIndex } from '../src/core/positions';

/** The change VS Code reports for replacing [start, end) of `text` with `insert`. */
function change(text: string, start: number, end: number, insert: string): TextChange {
  assert.ok(end <= text.length);
  return { rangeOffset: start, rangeLength: end - start, text: insert };
}

describe('difference', () => {
  it('finds a plain insertion', () => {
    assert.deepEqual(difference('ab', 'aXYb'), { start: 1, oldEnd: 1, newEnd: 3 });
  });

  it('keeps the text that was only retyped out of the insertion', () => {
    // accepting `print(x)` after typing `pri` replaces `pri`
    assert.deepEqual(difference('pri', 'print(x)'), { start: 3, oldEnd: 3, newEnd: 8 });
  });

  it('does not cut an emoji in half when two emoji share a high surrogate', () => {
    const d = difference('😀', '😁');
    assert.deepEqual(d, { start: 0, oldEnd: 2, newEnd: 2 });
  });

  it('does not cut a CRLF in half', () => {
    const d = difference('a\r\nb', 'a\r\nX\r\nb');
    const inserted = 'a\r\nX\r\nb'.slice(d.start, d.newEnd);
    assert.ok(!inserted.startsWith('\n') && !inserted.endsWith('\r'), JSON.stringify(inserted));
    assert.equal(inserted.replace(/\r\n/g, '').length, 1);
  });
});

describe('insertedSpans', () => {
  it('gives the range of an accepted multi-line completion', () => {
    const before = 'def add(a, b):\n    \n';
    const cursor = before.indexOf('    \n') + 4;
    const completion = 'return a + b\n\ndef sub(a, b):\n    return a - b';
    const { after, spans } = insertedSpans(before, [[change(before, cursor, cursor, completion)]]);
    assert.equal(after, 'def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n');
    assert.equal(spans.length, 1);
    const range = new LineIndex(after).rangeAt(spans[0].start, spans[0].end);
    assert.deepEqual(range, { start: { line: 1, character: 4 }, end: { line: 4, character: 16 } });
  });

  it('leaves the typed prefix out when the accept replaces the word being typed', () => {
    const before = 'x = pri\n';
    const { after, spans } = insertedSpans(before, [[change(before, 4, 7, 'print(x)')]]);
    assert.equal(after, 'x = print(x)\n');
    assert.deepEqual(spans, [{ start: 7, end: 12 }]);
    assert.equal(after.slice(7, 12), 'nt(x)');
  });

  it('keeps an auto-closed bracket that a later event rewrote inside the same span', () => {
    const before = 'foo\n';
    const first = change(before, 3, 3, 'bar(');
    const mid = applyChanges(before, [first]);
    const second = change(mid, 7, 7, ')');
    const { after, spans } = insertedSpans(before, [[first], [second]]);
    assert.equal(after, 'foobar()\n');
    assert.deepEqual(spans, [{ start: 3, end: 8 }]);
  });

  it('moves an earlier span when a later change lands before it', () => {
    const before = 'import os\n\nx = 1\n';
    const body = 'y = os.path.join("a", "b")\n';
    const first = change(before, before.length, before.length, body);
    const mid = applyChanges(before, [first]);
    const importLine = 'import sys\n';
    const second = change(mid, 0, 0, importLine);
    const { after, spans } = insertedSpans(before, [[first], [second]]);
    assert.equal(after, importLine + before + body);
    assert.deepEqual(
      spans.map((s) => after.slice(s.start, s.end)),
      [importLine, body],
    );
  });

  it('applies several changes of one event in order, as LSP does', () => {
    // VS Code lists the changes of one event from the end of the file backwards
    const before = 'a\nb\nc\n';
    const changes = [change(before, 4, 4, 'C1\nC2\n'), change(before, 0, 0, 'A1\nA2\n')];
    const { after, spans } = insertedSpans(before, [changes]);
    assert.equal(after, 'A1\nA2\na\nb\nC1\nC2\nc\n');
    assert.deepEqual(
      spans.map((s) => after.slice(s.start, s.end)),
      ['A1\nA2\n', 'C1\nC2\n'],
    );
  });

  it('converts the range of an insertion after CRLF lines and emoji', () => {
    const before = 'msg = "héllo 😀"\r\n\r\nprint(msg)\r\n';
    const at = before.indexOf('\r\nprint') + 2;
    const insert = 'if msg:\r\n    log("😀", msg)\r\n';
    const { after, spans } = insertedSpans(before, [[change(before, at, at, insert)]]);
    assert.equal(spans.length, 1);
    const index = new LineIndex(after);
    const range = index.rangeAt(spans[0].start, spans[0].end);
    assert.deepEqual(range, { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } });
    assert.equal(after.slice(index.offsetAt(range.start), index.offsetAt(range.end)), insert);
  });

  it('reports nothing for a change that rewrites text to itself', () => {
    const before = 'same\n';
    const { spans } = insertedSpans(before, [[change(before, 0, 4, 'same')]]);
    assert.deepEqual(spans, []);
  });

  it('tells content from whitespace', () => {
    assert.equal(hasContent('a   \n  b', { start: 1, end: 6 }), false);
    assert.equal(hasContent('a   \n  b', { start: 1, end: 8 }), true);
  });
});
