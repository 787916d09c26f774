/**
 * Declaring AI edits to the server: accepted inline suggestions, and edits
 * that a chat or agent extension made.
 *
 * Everything here runs from vscode-languageclient's `didChange` middleware,
 * after the change itself was handed to the connection, so the server always
 * has the document version a declaration refers to.
 */

import * as vscode from 'vscode';
import type { TextDocumentChangeEvent } from 'vscode';
import { classifyEdit, DEFAULT_THRESHOLDS, isSubstantial, looksTyped, touchesAny } from './core/classify';
import { ACCEPT_COMMANDS } from './core/editor';
import { declarations } from './core/declarations';
import { applyChanges, insertedSpans, type TextChange } from './core/diff';
import type { AiEditParams } from './core/protocol';
import { editingTools, inlineTool } from './core/tools';
import type { GuardClient } from './client';
import { flag, isGuarded } from './settings';

/** How long to wait for the edit of an accept that returned before its edit arrived. */
const ACCEPT_EDIT_WAIT_MS = 1000;

interface Batch {
  changes: TextChange[];
  version: number;
  /** Resolves once the didChange of this batch was handed to the connection. */
  sent: Promise<void>;
}

interface PendingAccept {
  before: string;
  batches: Batch[];
  arrived: () => void;
}

const toChanges = (e: TextDocumentChangeEvent): TextChange[] =>
  e.contentChanges.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text }));

function activeExtensionIds(): string[] {
  return vscode.extensions.all.filter((e) => e.isActive).map((e) => e.id);
}

export class EditDeclarer implements vscode.Disposable {
  private readonly pending = new Map<string, PendingAccept>();
  /** The text the server has for each guarded document, to know what a change replaced. */
  private readonly mirror = new Map<string, string>();
  private readonly lastUserInput = new Map<string, number>();
  private readonly unexplained = new Map<string, number>();
  private readonly saving = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly guard: GuardClient,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.kind === vscode.TextEditorSelectionChangeKind.Keyboard) {
          this.lastUserInput.set(e.textEditor.document.uri.toString(), Date.now());
        }
      }),
      vscode.workspace.onWillSaveTextDocument((e) => {
        const uri = e.document.uri.toString();
        this.saving.add(uri);
        // if the save fails there is no did-save; do not stay "saving" forever
        setTimeout(() => this.saving.delete(uri), 10_000);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.saving.delete(d.uri.toString())),
    );
    for (const [id, original] of Object.entries(ACCEPT_COMMANDS)) {
      this.disposables.push(vscode.commands.registerCommand(id, () => this.accept(original)));
    }
  }

  // -- middleware hooks --------------------------------------------------------
  didOpen(document: vscode.TextDocument, next: (d: vscode.TextDocument) => Promise<void>): Promise<void> {
    this.mirror.set(document.uri.toString(), document.getText());
    return next(document);
  }

  didClose(document: vscode.TextDocument, next: (d: vscode.TextDocument) => Promise<void>): Promise<void> {
    const uri = document.uri.toString();
    for (const map of [this.mirror, this.lastUserInput, this.unexplained]) map.delete(uri);
    return next(document);
  }

  async didChange(event: TextDocumentChangeEvent, next: (e: TextDocumentChangeEvent) => Promise<void>): Promise<void> {
    // read everything now: the document moves on while the change is sent
    const document = event.document;
    const uri = document.uri.toString();
    const version = document.version;
    const changes = toChanges(event);
    const before = this.mirror.get(uri);
    const after = before === undefined ? document.getText() : applyChanges(before, changes);
    this.mirror.set(uri, after);
    const sent = next(event);

    const pending = this.pending.get(uri);
    if (pending) {
      pending.batches.push({ changes, version, sent });
      pending.arrived();
      return sent;
    }
    const now = Date.now();
    const selections = vscode.window.visibleTextEditors
      .filter((e) => e.document === document)
      .flatMap((e) => e.selections.map((s) => ({ start: document.offsetAt(s.start), end: document.offsetAt(s.end) })));
    const touches = touchesAny(changes, selections);
    if (touches || (looksTyped(changes) && vscode.window.activeTextEditor?.document === document)) {
      this.lastUserInput.set(uri, now);
    }
    await sent;
    if (before === undefined || !flag('declareChatEdits')) return;
    if (!changes.some((c) => /[\r\n]/.test(c.text))) return; // the common case, typing, stops here
    if (after !== document.getText() && document.version === version) {
      // the mirror drifted (should not happen); resynchronise and declare nothing
      this.mirror.set(uri, document.getText());
      return;
    }
    const { spans } = insertedSpans(before, [changes]);
    for (const [other, t] of this.unexplained) if (now - t > DEFAULT_THRESHOLDS.burstMs) this.unexplained.delete(other);
    const reason =
      event.reason === vscode.TextDocumentChangeReason.Undo
        ? 'undo'
        : event.reason === vscode.TextDocumentChangeReason.Redo
          ? 'redo'
          : undefined;
    const thresholds = this.guard.thresholds;
    const decision = classifyEdit({
      reason,
      before,
      inserted: spans.map((s) => after.slice(s.start, s.end)),
      touchesSelection: touches,
      msSinceUserInput: now - (this.lastUserInput.get(uri) ?? -Infinity),
      duringSave: this.saving.has(uri),
      dirtyAfter: document.isDirty,
      visible: vscode.window.visibleTextEditors.some((e) => e.document === document),
      otherDocumentsInBurst: [...this.unexplained.keys()].filter((u) => u !== uri).length,
      tools: editingTools(activeExtensionIds()),
    }, thresholds);
    const substantial = spans.some((sp) => isSubstantial(after.slice(sp.start, sp.end), thresholds));
    if (substantial && !reason && !touches) this.unexplained.set(uri, now);
    this.output.debug(`multi-line edit in ${uri} v${version}: ${decision.declare ? 'declared' : 'left to the server'} (${decision.why})`);
    if (!decision.declare) return;
    await this.send(declarations(uri, before, [{ changes, version }], decision.tool, decision.kind));
  }

  // -- inline suggestions --------------------------------------------------------
  private async accept(original: string): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (!editor || !document || !isGuarded(document) || !this.guard.running || !flag('declareInlineCompletions')) {
      await vscode.commands.executeCommand(original);
      return;
    }
    const uri = document.uri.toString();
    if (this.pending.has(uri)) {
      // a quick second accept: the first one's window collects this edit too
      await vscode.commands.executeCommand(original);
      return;
    }
    const tool = inlineTool(
      activeExtensionIds(),
      document.languageId,
      vscode.workspace.getConfiguration('github.copilot').get('enable'),
    );
    let arrived!: () => void;
    const firstEdit = new Promise<void>((resolve) => (arrived = resolve));
    const pending: PendingAccept = { before: document.getText(), batches: [], arrived };
    this.pending.set(uri, pending);
    try {
      await vscode.commands.executeCommand(original);
      if (pending.batches.length === 0) {
        // some VS Code versions return from the accept before its edit is applied
        await Promise.race([firstEdit, new Promise((r) => setTimeout(r, ACCEPT_EDIT_WAIT_MS))]);
      }
    } finally {
      if (this.pending.get(uri) === pending) this.pending.delete(uri);
    }
    if (pending.batches.length === 0) return; // nothing was visible to accept
    this.lastUserInput.set(uri, Date.now());
    try {
      await Promise.all(pending.batches.map((b) => b.sent));
    } catch (error) {
      // the edit itself is done; only its declaration is lost, and the server's heuristics remain
      this.output.warn(`accepted suggestion not declared: ${String(error)}`);
      return;
    }
    await this.send(declarations(uri, pending.before, pending.batches, tool, 'inline-completion'));
  }

  private async send(params: AiEditParams[]): Promise<void> {
    for (const p of params) await this.guard.declareAi(p);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.pending.clear();
    this.mirror.clear();
  }
}
