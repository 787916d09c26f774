/** genguard for VS Code: runs `genguard serve` and feeds it what only the editor knows. */

import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { GuardClient } from './client';
import { LANGUAGES } from './core/editor';
import { type FileProvenance, justificationProblem, needsJustification } from './core/protocol';
import { EditDeclarer } from './declare';
import { ProvenanceView } from './provenance';

let running: GuardClient | undefined;

/** The server's suppress code action leaves the justification to the client. */
async function askJustification(args: unknown[]): Promise<unknown[] | undefined> {
  const [, , ruleId] = args;
  const justification = await vscode.window.showInputBox({
    title: `Suppress ${String(ruleId)} in this AI chunk`,
    prompt: 'Why is this finding acceptable here? The reason is recorded in the ledger with your name.',
    ignoreFocusOut: true,
    validateInput: justificationProblem,
  });
  return justification === undefined ? undefined : [...args, justification.trim()];
}

/** What the extension exports to other extensions (and to the end-to-end tests' observer). */
export interface GenguardApi {
  /** The status bar item's text, tooltip and whether it is shown. */
  statusBar(): { text: string; tooltip: string; visible: boolean };
  /** `genguard/fileProvenance` for a document URI; undefined while the server is not running. */
  provenance(uri: string): Promise<FileProvenance | undefined>;
}

export async function activate(context: vscode.ExtensionContext): Promise<GenguardApi> {
  const output = vscode.window.createOutputChannel('genguard', { log: true });
  let declarer: EditDeclarer | undefined;
  const middleware: Middleware = {
    didOpen: (document, next) => (declarer ? declarer.didOpen(document, next) : next(document)),
    didClose: (document, next) => (declarer ? declarer.didClose(document, next) : next(document)),
    didChange: (event, next) => (declarer ? declarer.didChange(event, next) : next(event)),
    executeCommand: async (command, args, next) => {
      if (!needsJustification(command, args)) return next(command, args);
      const full = await askJustification(args);
      return full ? next(command, full) : undefined;
    },
  };
  const guard = new GuardClient(output, middleware);
  running = guard;
  declarer = new EditDeclarer(guard, output);
  const view = new ProvenanceView(guard, context.extensionPath);
  context.subscriptions.push(
    output,
    guard,
    declarer,
    view,
    vscode.commands.registerCommand('genguard.restart', () => guard.restart()),
    vscode.commands.registerCommand('genguard.showOutput', () => output.show()),
    vscode.commands.registerCommand('genguard.showChunks', () => view.showChunks()),
    vscode.commands.registerCommand('genguard.markChunkReviewed', () => view.markChunkReviewed()),
    vscode.commands.registerCommand('genguard.showLineProvenance', () => view.showLineProvenance()),
    vscode.commands.registerCommand('genguard.toggleGutterMarks', () => view.toggleGutterMarks()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['genguard.path', 'genguard.interpreter', 'genguard.args'].some((k) => e.affectsConfiguration(k))) {
        output.info('launch settings changed; restarting the server');
        void guard.restart();
      }
    }),
  );
  // the accept keybindings apply only where this is set, so Tab elsewhere never waits on genguard
  await vscode.commands.executeCommand('setContext', 'genguard.languages', LANGUAGES);
  void guard.start();
  return { statusBar: () => view.statusBar, provenance: (uri) => guard.provenance(uri) };
}

/** Lets the server shut down cleanly before the extension host exits. */
export function deactivate(): Promise<void> | undefined {
  return running?.stop();
}
