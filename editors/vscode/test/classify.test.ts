import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyEdit,
  DEFAULT_THRESHOLDS,
  type EditEvidence,
  isSubstantial,
  looksTyped,
  measure,
  movedShare,
  touchesAny,
  withServerSettings,
} from '../src/core/classify';
import { insertedSpans, type TextChange } from '../src/core/diff';
import { editingTools } from '../src/core/tools';

const FILE = 'import os\n\n\ndef main():\n    print(os.getcwd())\n    print(os.listdir("."))\n';
const GENERATED = 'def load(path):\n    with open(path) as f:\n        return json.load(f)\n';

/** Evidence for inserting `text` at `offset` of FILE, as an agent would: quiet, away from the cursor. */
function evidence(offset: number, text: string, overrides: Partial<EditEvidence> = {}): EditEvidence {
  const change: TextChange = { rangeOffset: offset, rangeLength: 0, text };
  const { after, spans } = insertedSpans(FILE, [[change]]);
  return {
    reason: undefined,
    before: FILE,
    inserted: spans.map((s) => after.slice(s.start, s.end)),
    touchesSelection: false,
    msSinceUserInput: 60_000,
    duringSave: false,
    dirtyAfter: true,
    visible: true,
    otherDocumentsInBurst: 0,
    tools: editingTools(['GitHub.copilot-chat']),
    ...overrides,
  };
}

describe('measure', () => {
  it('counts lines and non-blank bytes like the server heuristic', () => {
    assert.deepEqual(measure('a = 1\nb = 2\n'), { lines: 2, chars: 6 });
    assert.deepEqual(measure(''), { lines: 0, chars: 0 });
    assert.equal(measure('x = "é"').chars, 6); // é is two UTF-8 bytes
    assert.equal(isSubstantial(GENERATED), true);
    assert.equal(isSubstantial('a = 1\nb = 2\n'), false);
  });
});

describe('looksTyped', () => {
  const at = (text: string, rangeLength = 0): TextChange[] => [{ rangeOffset: 5, rangeLength, text }];
  it('takes keystrokes, auto-closed pairs, Enter with indentation and deletions for typing', () => {
    for (const text of ['a', '()', '\n    ', '\r\n\t', '    ']) assert.equal(looksTyped(at(text)), true, JSON.stringify(text));
    assert.equal(looksTyped(at('', 3)), true);
  });
  it('does not take a paste or a completion for typing', () => {
    assert.equal(looksTyped(at('print(x)')), false);
    assert.equal(looksTyped(at('a\nb')), false);
    assert.equal(looksTyped([]), false);
  });
});

describe('touchesAny', () => {
  it('sees a paste at the cursor and ignores an edit far away', () => {
    const paste: TextChange[] = [{ rangeOffset: 40, rangeLength: 0, text: GENERATED }];
    assert.equal(touchesAny(paste, [{ start: 40, end: 40 }]), true);
    assert.equal(touchesAny(paste, [{ start: 40 + GENERATED.length, end: 40 + GENERATED.length }]), true);
    assert.equal(touchesAny(paste, [{ start: 5, end: 5 }]), false);
  });
});

describe('movedShare', () => {
  it('recognises lines that were already in the file', () => {
    assert.equal(movedShare(FILE, '  def main():\n        print(os.getcwd())\n'), 1);
    assert.equal(movedShare(FILE, GENERATED), 0);
  });
});

describe('classifyEdit', () => {
  it('declares a quiet multi-line edit away from the cursor as chat when one chat tool is active', () => {
    const d = classifyEdit(evidence(FILE.length, GENERATED));
    assert.deepEqual(d, { declare: true, tool: 'copilot', kind: 'chat', why: 'chat edit' });
  });

  it('does not declare a multi-line paste while the user is typing', () => {
    const pasted = evidence(FILE.length, GENERATED, { touchesSelection: true, msSinceUserInput: 300 });
    assert.equal(classifyEdit(pasted).declare, false);
    // nor when the cursor was elsewhere but the user typed a moment ago
    assert.equal(classifyEdit(evidence(FILE.length, GENERATED, { msSinceUserInput: 300 })).declare, false);
  });

  it('declares an edit to a file nobody is looking at as an agent edit', () => {
    const d = classifyEdit(evidence(FILE.length, GENERATED, { visible: false }));
    assert.equal(d.declare && d.kind, 'agent');
    const burst = classifyEdit(evidence(FILE.length, GENERATED, { otherDocumentsInBurst: 2 }));
    assert.equal(burst.declare && burst.kind, 'agent');
  });

  it('names an agent-only tool as agent even in a visible file', () => {
    const d = classifyEdit(evidence(FILE.length, GENERATED, { tools: editingTools(['saoudrizwan.claude-dev']) }));
    assert.deepEqual(d.declare && [d.tool, d.kind], ['cline', 'agent']);
  });

  it('leaves the edit to the server when it cannot be sure', () => {
    const cases: [string, Partial<EditEvidence>][] = [
      ['undo', { reason: 'undo' }],
      ['saving', { duringSave: true }],
      ['reload from disk', { dirtyAfter: false }],
      ['no tool', { tools: [] }],
      ['two tools', { tools: editingTools(['github.copilot-chat', 'continue.continue']) }],
      ['chat-only tool, agent-like edit', { tools: editingTools(['sourcegraph.cody-ai']), visible: false }],
    ];
    for (const [name, overrides] of cases) {
      assert.equal(classifyEdit(evidence(FILE.length, GENERATED, overrides)).declare, false, name);
    }
  });

  it('does not declare small edits or text moved within the file', () => {
    assert.equal(classifyEdit(evidence(FILE.length, 'x = 1\ny = 2\n')).declare, false);
    const moved = 'def main():\n    print(os.getcwd())\n    print(os.listdir("."))\n';
    const d = classifyEdit(evidence(0, moved));
    assert.deepEqual(d, { declare: false, why: 'text already in the file (move or refactoring)' });
  });
});

describe('withServerSettings', () => {
  it('starts from the server defaults generated from its declarations', () => {
    assert.deepEqual([DEFAULT_THRESHOLDS.minLines, DEFAULT_THRESHOLDS.minChars], [2, 40]);
  });

  it("takes a workspace's [heuristics] from genguard/settings", () => {
    const t = withServerSettings(DEFAULT_THRESHOLDS, { heuristics: { minLines: 4, minChars: 120 } });
    assert.deepEqual({ ...t }, { ...DEFAULT_THRESHOLDS, minLines: 4, minChars: 120 });
    // GENERATED has 3 lines: substantial by default, not for this workspace
    assert.equal(isSubstantial(GENERATED), true);
    assert.equal(isSubstantial(GENERATED, t), false);
    assert.equal(classifyEdit(evidence(FILE.length, GENERATED), t).declare, false);
  });

  it('keeps what it had for missing or malformed values', () => {
    for (const bad of [undefined, null, 3, {}, { heuristics: { minLines: 0, minChars: -1 } }, { heuristics: { minLines: '5', minChars: 1.5 } }]) {
      assert.deepEqual(withServerSettings(DEFAULT_THRESHOLDS, bad), DEFAULT_THRESHOLDS, JSON.stringify(bad));
    }
    const half = withServerSettings(DEFAULT_THRESHOLDS, { heuristics: { minLines: 3 } });
    assert.deepEqual([half.minLines, half.minChars], [3, DEFAULT_THRESHOLDS.minChars]);
  });
});
