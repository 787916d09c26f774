/**
 * What the user sees of provenance: the status bar item, gutter marks, the
 * chunk list and the review commands. All of it comes from
 * `genguard/fileProvenance`, asked again whenever the server publishes
 * diagnostics for a visible file (it does after every check) or the editor
 * changes.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GuardClient } from './client';
import { MARK_REVIEWED, type ChunkInfo, type FileProvenance } from './core/protocol';
import { aiLines, chunkAt, chunkItems, chunksOnLine, describeLine, isUnreviewed, linesLabel, statusView } from './core/status';
import { flag, isGuarded, setFlag } from './settings';

const REFRESH_DELAY_MS = 150;
/** After typing, ask once the user pauses: the AI share moves, the diagnostics may not. */
const TYPING_REFRESH_DELAY_MS = 600;

function toRange(c: ChunkInfo): vscode.Range {
  return new vscode.Range(c.range.start.line, c.range.start.character, c.range.end.line, c.range.end.character);
}

export class ProvenanceView implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('genguard.status', vscode.StatusBarAlignment.Right, 100);
  private readonly unreviewedMark: vscode.TextEditorDecorationType;
  private readonly reviewedMark: vscode.TextEditorDecorationType;
  private readonly cache = new Map<string, FileProvenance>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private shown = false;

  constructor(
    private readonly guard: GuardClient,
    extensionPath: string,
  ) {
    this.item.name = 'genguard';
    this.unreviewedMark = vscode.window.createTextEditorDecorationType({
      gutterIconPath: path.join(extensionPath, 'media', 'ai-unreviewed.svg'),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.reviewedMark = vscode.window.createTextEditorDecorationType({
      gutterIconPath: path.join(extensionPath, 'media', 'ai-reviewed.svg'),
      gutterIconSize: 'contain',
    });
    this.disposables.push(
      this.item,
      this.unreviewedMark,
      this.reviewedMark,
      vscode.languages.onDidChangeDiagnostics((e) => {
        const visible = new Set(
          vscode.window.visibleTextEditors.filter((ed) => isGuarded(ed.document)).map((ed) => ed.document.uri.toString()),
        );
        for (const uri of e.uris) if (visible.has(uri.toString())) this.schedule(uri.toString());
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const uri = e.document.uri.toString();
        const shown = vscode.window.visibleTextEditors.some((ed) => ed.document === e.document);
        if (e.contentChanges.length && shown && isGuarded(e.document)) {
          this.schedule(uri, TYPING_REFRESH_DELAY_MS);
        }
      }),
      guard.onDidDeclare((uri) => this.schedule(uri)),
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshVisible()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshVisible()),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('genguard.statusBar') || e.affectsConfiguration('genguard.gutterMarks')) {
          this.render();
        }
      }),
      guard.onDidChangeState((state) => {
        if (state === 'running') this.refreshVisible();
        else this.cache.clear();
        this.render();
      }),
    );
    this.render();
  }

  // -- refreshing ----------------------------------------------------------------
  private schedule(uri: string, delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.fetch(uri);
      }, delay),
    );
  }

  refreshVisible(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (isGuarded(editor.document)) this.schedule(editor.document.uri.toString());
    }
    this.render();
  }

  private async fetch(uri: string): Promise<FileProvenance | undefined> {
    const prov = await this.guard.provenance(uri);
    if (prov) this.cache.set(uri, prov);
    else this.cache.delete(uri);
    this.render();
    return prov;
  }

  private render(): void {
    const editor = vscode.window.activeTextEditor;
    const guarded = editor !== undefined && isGuarded(editor.document);
    this.shown = flag('statusBar') && guarded;
    if (!flag('statusBar') || !guarded) {
      this.item.hide();
    } else {
      const prov = this.cache.get(editor.document.uri.toString());
      const view = statusView(this.guard.serverState, prov);
      this.item.text = view.text;
      this.item.tooltip = view.tooltip;
      this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.item.command = this.guard.serverState === 'failed' ? 'genguard.restart' : 'genguard.showChunks';
      this.item.show();
    }
    const gutter = flag('gutterMarks');
    for (const ed of vscode.window.visibleTextEditors) {
      const prov = this.cache.get(ed.document.uri.toString());
      const lines = gutter && prov ? aiLines(prov) : { unreviewed: [], reviewed: [] };
      const ranges = (ls: number[]) => ls.map((l) => new vscode.Range(l, 0, l, 0));
      ed.setDecorations(this.unreviewedMark, ranges(lines.unreviewed));
      ed.setDecorations(this.reviewedMark, ranges(lines.reviewed));
    }
  }

  /** What the status bar item shows now (VS Code has no API to read another extension's item). */
  get statusBar(): { text: string; tooltip: string; visible: boolean } {
    const tooltip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''), visible: this.shown };
  }

  // -- commands --------------------------------------------------------------------
  /** Fresh provenance of the active guarded editor, or a message why there is none. */
  private async current(): Promise<{ editor: vscode.TextEditor; prov: FileProvenance } | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isGuarded(editor.document)) {
      void vscode.window.showInformationMessage('genguard: open a file in a language genguard checks.');
      return undefined;
    }
    if (!this.guard.running) {
      void vscode.window.showWarningMessage('genguard: the server is not running (genguard: Restart Server).');
      return undefined;
    }
    const prov = await this.fetch(editor.document.uri.toString());
    if (!prov) return undefined;
    if (prov.error) {
      void vscode.window.showWarningMessage(`genguard: ${prov.error}`);
      return undefined;
    }
    return { editor, prov };
  }

  private async pick(prov: FileProvenance, placeHolder: string, filter: (c: ChunkInfo) => boolean) {
    const byId = new Map(prov.chunks.map((c) => [c.id, c]));
    const items = chunkItems({ ...prov, chunks: prov.chunks.filter(filter) });
    const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
    return picked ? byId.get(picked.chunkId) : undefined;
  }

  async showChunks(): Promise<void> {
    const cur = await this.current();
    if (!cur) return;
    if (cur.prov.chunks.length === 0) {
      void vscode.window.showInformationMessage('genguard: no AI-written code is recorded in this file.');
      return;
    }
    const chunk = await this.pick(cur.prov, 'AI chunks in this file: pick one to go to it', () => true);
    if (!chunk) return;
    const range = toRange(chunk);
    cur.editor.selection = new vscode.Selection(range.start, range.start);
    cur.editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  async markChunkReviewed(): Promise<void> {
    const cur = await this.current();
    if (!cur) return;
    const here = chunkAt(cur.prov, cur.editor.selection.active);
    let chunk = here && isUnreviewed(here) ? here : undefined;
    if (!chunk) {
      if (!cur.prov.chunks.some(isUnreviewed)) {
        void vscode.window.showInformationMessage('genguard: every AI chunk in this file is reviewed.');
        return;
      }
      chunk = await this.pick(cur.prov, 'Mark which AI chunk as reviewed?', isUnreviewed);
      if (!chunk) return;
    }
    await this.markReviewed(cur.editor.document.uri.toString(), chunk);
  }

  private async markReviewed(uri: string, chunk: ChunkInfo): Promise<void> {
    // the server's own command, which vscode-languageclient registered in VS Code
    const result = (await vscode.commands.executeCommand(MARK_REVIEWED, uri, chunk.id)) as
      | { ok?: boolean; reviewer?: string; error?: string }
      | undefined;
    if (result?.ok) {
      void vscode.window.showInformationMessage(
        `genguard: ${linesLabel(chunk)} marked reviewed${result.reviewer ? ` by ${result.reviewer}` : ''}.`,
      );
    }
    this.schedule(uri);
  }

  async showLineProvenance(): Promise<void> {
    const cur = await this.current();
    if (!cur) return;
    const line = cur.editor.selection.active.line;
    const text = describeLine(cur.prov, line);
    const unreviewed = chunksOnLine(cur.prov, line).find(isUnreviewed);
    const choice = await vscode.window.showInformationMessage(text, ...(unreviewed ? ['Mark Reviewed'] : []));
    if (choice === 'Mark Reviewed' && unreviewed) await this.markReviewed(cur.editor.document.uri.toString(), unreviewed);
  }

  async toggleGutterMarks(): Promise<void> {
    await setFlag('gutterMarks', !flag('gutterMarks'));
    this.render();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
