import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assistedBy, copilotEnabledFor, editingTools, inlineTool, toolName, UNKNOWN_INLINE_TOOL } from '../src/core/tools';

describe('tool names', () => {
  it('turns display names into trailer-like tokens', () => {
    assert.equal(toolName('GitHub Copilot'), 'github-copilot');
    assert.equal(toolName('  Claude Code (beta) '), 'claude-code-beta');
    assert.equal(toolName('gpt-4.1'), 'gpt-4.1');
    assert.equal(assistedBy('copilot', 'gpt-4o'), 'copilot:gpt-4o');
    assert.equal(assistedBy('copilot', null), 'copilot');
  });
});

describe('inlineTool', () => {
  it('names Copilot when it is the only active inline provider', () => {
    assert.equal(inlineTool(['GitHub.copilot', 'GitHub.copilot-chat', 'ms-python.python'], 'python', undefined), 'copilot');
  });

  it('falls back to the generic name when the provider cannot be told', () => {
    assert.equal(inlineTool(['ms-python.python'], 'python', undefined), UNKNOWN_INLINE_TOOL);
    assert.equal(inlineTool(['GitHub.copilot', 'TabNine.tabnine-vscode'], 'python', undefined), UNKNOWN_INLINE_TOOL);
  });

  it('respects github.copilot.enable per language', () => {
    const enable = { '*': true, python: false };
    assert.equal(copilotEnabledFor('python', enable), false);
    assert.equal(copilotEnabledFor('go', enable), true);
    assert.equal(copilotEnabledFor('go', { '*': false }), false);
    assert.equal(copilotEnabledFor('go', 'junk'), true);
    // Copilot is off for Python, so Tabnine must have produced the suggestion
    assert.equal(inlineTool(['GitHub.copilot', 'TabNine.tabnine-vscode'], 'python', enable), 'tabnine');
  });
});

describe('editingTools', () => {
  it('merges the extensions of one tool', () => {
    assert.deepEqual(editingTools(['github.copilot', 'github.copilot-chat']), [{ tool: 'copilot', chat: true, agent: true }]);
    assert.deepEqual(editingTools(['github.copilot']), []);
  });
});
