import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ACCEPT_COMMANDS, LANGUAGES, SETTINGS } from '../src/core/editor';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('package.json', () => {
  it('activates on every language genguard checks', () => {
    for (const language of LANGUAGES) assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
  });

  it('contributes every setting the extension reads, each with a description', () => {
    const properties = contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), SETTINGS.map((s) => `genguard.${s}`).sort());
    for (const [key, value] of Object.entries<Record<string, unknown>>(properties)) {
      assert.ok(value.description || value.markdownDescription, `${key} has no description`);
    }
  });

  it('binds the accept keys to genguard commands that exist, only while a suggestion is shown', () => {
    const commands = new Set(contributes.commands.map((c: { command: string }) => c.command));
    for (const id of Object.keys(ACCEPT_COMMANDS)) assert.ok(commands.has(id), id);
    for (const kb of contributes.keybindings) {
      assert.ok(kb.command in ACCEPT_COMMANDS, kb.command);
      assert.match(kb.when, /inlineSuggestionVisible|inlineEditIsVisible/);
      assert.match(kb.when, /config\.genguard\.declareInlineCompletions/);
      assert.match(kb.when, /editorLangId in genguard\.languages/);
    }
    const keys = contributes.keybindings.map((kb: { key: string }) => kb.key);
    assert.ok(keys.includes('tab') && keys.includes('ctrl+right'));
  });

  it('has what vsce needs to package without asking', () => {
    for (const field of ['name', 'publisher', 'version', 'license', 'repository', 'engines']) assert.ok(manifest[field], field);
    assert.equal(manifest.main, './dist/extension.js');
    assert.ok(manifest.devDependencies['@vscode/vsce']);
    assert.ok(readFileSync(join(__dirname, '..', '..', 'LICENSE'), 'utf8').includes('Apache License'));
  });
});
