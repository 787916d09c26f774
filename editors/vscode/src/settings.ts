/** Reading genguard.* settings and the workspace's variables. */

import * as os from 'node:os';
import * as vscode from 'vscode';
import { LANGUAGES } from './core/editor';
import type { LaunchSettings, Variables } from './core/launch';

export const SECTION = 'genguard';


export const DOCUMENT_SELECTOR: { scheme: string; language: string }[] = LANGUAGES.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

export function isGuarded(document: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR, document) > 0;
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export function launchSettings(): LaunchSettings {
  const c = config();
  return {
    path: c.get<string>('path', ''),
    interpreter: c.get<string>('interpreter', ''),
    args: c.get<string[]>('args', []),
  };
}

export function variables(): Variables {
  return {
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    userHome: os.homedir(),
    env: process.env,
  };
}

export const flag = (name: 'statusBar' | 'gutterMarks' | 'declareInlineCompletions' | 'declareChatEdits'): boolean =>
  config().get<boolean>(name, true);

export async function setFlag(name: 'gutterMarks', value: boolean): Promise<void> {
  await config().update(name, value, vscode.ConfigurationTarget.Global);
}

export function openSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', '@ext:genguard.genguard');
}
