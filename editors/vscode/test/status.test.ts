import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChunkInfo, FileProvenance } from '../src/core/protocol';
import { aiLines, chunkAt, chunkItems, chunkLines, describeLine, percent, statusView } from '../src/core/status';

function chunk(id: string, start: [number, number], end: [number, number], extra: Partial<ChunkInfo> = {}): ChunkInfo {
  return {
    id,
    range: { start: { line: start[0], character: start[1] }, end: { line: end[0], character: end[1] } },
    tool: 'copilot',
    model: null,
    method: 'declared',
    kind: 'inline-completion',
    status: 'unreviewed',
    reviewer: null,
    findings: [],
    humanEditedShare: 0,
    ...extra,
  };
}

const PROV: FileProvenance = {
  aiShare: 0.2345,
  chunks: [
    chunk('b', [20, 0], [24, 0], { status: 'reviewed', reviewer: 'ana@example.com', model: 'gpt-4o' }),
    chunk('a', [3, 4], [6, 10], { findings: ['py-eval', 'py-shell'], humanEditedShare: 0.125 }),
    chunk('c', [30, 0], [31, 2], { method: 'heuristic', tool: 'unknown', kind: 'unknown' }),
  ],
};

describe('status bar', () => {
  it('shows the AI share and the unreviewed count', () => {
    const view = statusView('running', PROV);
    assert.equal(view.text, '$(sparkle) AI 23% · 2 unreviewed');
    assert.equal(view.warning, true);
    assert.match(view.tooltip, /in 3 chunks/);
  });

  it('names the share as a share of lines, with the counts and the byte share', () => {
    const view = statusView('running', { ...PROV, aiLines: 12, totalLines: 51, aiByteShare: 0.31 });
    assert.match(view.tooltip, /23% of this file's lines are AI-written \(12 of 51 lines; 31% of its bytes\), in 3 chunks/);
  });

  it('says so when nothing is AI-written, and when the server is down', () => {
    assert.equal(statusView('running', { aiShare: 0, chunks: [] }).text, '$(sparkle) AI 0%');
    assert.equal(statusView('failed', PROV).text, '$(error) genguard');
    assert.equal(statusView('running', { chunks: [], error: 'not open' }).tooltip, 'not open');
  });

  it('rounds shares for people', () => {
    assert.equal(percent(0), '0%');
    assert.equal(percent(0.004), '<1%');
    assert.equal(percent(0.996), '100%');
  });
});

describe('chunk list', () => {
  it('lists chunks in file order with lines, tool, model, status and findings', () => {
    const items = chunkItems(PROV);
    assert.deepEqual(
      items.map((i) => i.chunkId),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(items[0], {
      chunkId: 'a',
      label: '$(warning) Lines 4–7',
      description: 'copilot · inline-completion',
      detail: 'unreviewed · findings: py-eval, py-shell · 13% edited by hand',
    });
    assert.equal(items[1].label, '$(pass) Lines 21–24'); // ends at column 0 of line 25
    assert.equal(items[1].description, 'copilot:gpt-4o · inline-completion');
    assert.equal(items[1].detail, 'reviewed by ana@example.com · no findings');
    assert.equal(items[2].description, 'unknown · inferred');
  });

  it('finds the chunk under the cursor', () => {
    assert.equal(chunkAt(PROV, { line: 5, character: 0 })?.id, 'a');
    assert.equal(chunkAt(PROV, { line: 3, character: 0 })?.id, 'a'); // before its start column, same line
    assert.equal(chunkAt(PROV, { line: 24, character: 0 })?.id, 'b');
    assert.equal(chunkAt(PROV, { line: 10, character: 0 }), undefined);
  });

  it('describes a line', () => {
    assert.match(describeLine(PROV, 4), /^Line 5: AI-written by copilot \(inline-completion, declared by the editor\), lines 4–7; unreviewed; findings: py-eval, py-shell; 13% edited by hand\.$/);
    assert.match(describeLine(PROV, 12), /no AI-written code recorded/);
  });

  it('marks gutter lines, unreviewed taking precedence', () => {
    assert.deepEqual(chunkLines(PROV.chunks[0]), [21, 24]);
    const lines = aiLines({ chunks: [chunk('x', [0, 0], [2, 3]), chunk('y', [2, 0], [3, 1], { status: 'reviewed' })] });
    assert.deepEqual(lines, { unreviewed: [0, 1, 2], reviewed: [3] });
  });
});
