/** Facts about the editor integration that package.json must agree with (a test checks it). */

/** VS Code language ids genguard has grammars for. */
export const LANGUAGES = [
  'python',
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'go',
  'java',
  'rust',
  'c',
  'cpp',
  'csharp',
  'ruby',
  'php',
  'shellscript',
] as const;

/** genguard's accept commands and the VS Code commands they run. */
export const ACCEPT_COMMANDS = {
  'genguard.inlineSuggest.commit': 'editor.action.inlineSuggest.commit',
  'genguard.inlineSuggest.acceptNextWord': 'editor.action.inlineSuggest.acceptNextWord',
  'genguard.inlineSuggest.acceptNextLine': 'editor.action.inlineSuggest.acceptNextLine',
} as const;

/** Settings the extension reads, all under `genguard.`. */
export const SETTINGS = [
  'path',
  'interpreter',
  'args',
  'trace.server',
  'statusBar',
  'gutterMarks',
  'declareInlineCompletions',
  'declareChatEdits',
] as const;
