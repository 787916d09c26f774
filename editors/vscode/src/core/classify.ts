/**
 * Deciding whether an edit the user did not type came from a chat or agent.
 *
 * A wrong declaration is worse than none: it records `method: declared` in the
 * ledger with a tool name, while the server's own heuristic would have
 * recorded the same insertion as `heuristic` / `unknown`. So every rule here
 * only says "not sure" and the edit is left to the server, unless all of them
 * agree that a known chat or agent tool wrote it.
 */

import type { Span, TextChange } from './diff';
import type { ServerSettings } from './protocol';
import SERVER_DEFAULTS from './serverDefaults.json';
import type { EditingTool } from './tools';

export interface Thresholds {
  /** Lines an insertion needs (the workspace's `heuristics.min_lines`). */
  minLines: number;
  /** Non-blank UTF-8 bytes an insertion needs (the workspace's `heuristics.min_chars`). */
  minChars: number;
  /** Quiet time after the user's last typing or keyboard cursor move, in ms. */
  quietMs: number;
  /** Share of inserted lines already in the file above which text counts as moved, not written. */
  movedShare: number;
  /** Window in which edits to several files count as one agent run, in ms. */
  burstMs: number;
}

/** The server's defaults until it tells the workspace's own (`withServerSettings`). */
export const DEFAULT_THRESHOLDS: Thresholds = {
  minLines: SERVER_DEFAULTS.heuristics.minLines,
  minChars: SERVER_DEFAULTS.heuristics.minChars,
  quietMs: 2000,
  movedShare: 0.5,
  burstMs: 3000,
};

const count = (value: unknown, min: number): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= min ? value : undefined;

/**
 * `t` with the workspace's heuristics from a `genguard/settings` message, so the
 * extension calls an insertion substantial exactly when the server would. Values
 * that are missing or malformed keep what `t` had.
 */
export function withServerSettings(t: Thresholds, settings: unknown): Thresholds {
  const h = (settings as Partial<ServerSettings> | null | undefined)?.heuristics;
  return {
    ...t,
    minLines: count(h?.minLines, 1) ?? t.minLines,
    minChars: count(h?.minChars, 0) ?? t.minChars,
  };
}

export interface EditEvidence {
  /** `undo` / `redo`, or undefined for any other edit (VS Code's `TextDocumentChangeReason`). */
  reason: 'undo' | 'redo' | undefined;
  /** The document text before the edit. */
  before: string;
  /** The texts the edit inserted, trimmed of what they merely retyped. */
  inserted: string[];
  /** Some change touches a cursor or selection of an editor showing the document. */
  touchesSelection: boolean;
  /** Time since the user last typed in, or moved the cursor by keyboard in, this document. */
  msSinceUserInput: number;
  /** The edit arrived between will-save and did-save: format or organize-imports on save. */
  duringSave: boolean;
  /** The document is dirty after the edit; a reload from disk (git checkout, pull) is not. */
  dirtyAfter: boolean;
  /** Some editor shows the document. */
  visible: boolean;
  /** Other documents that got unexplained multi-line edits within the burst window. */
  otherDocumentsInBurst: number;
  /** Known chat/agent tools that are active. */
  tools: EditingTool[];
}

export type Decision =
  | { declare: false; why: string }
  | { declare: true; tool: string; kind: 'chat' | 'agent'; why: string };

const encoder = new TextEncoder();

/** Lines and non-blank bytes, counted as the server's heuristic counts them. */
export function measure(text: string): { lines: number; chars: number } {
  let lines = text ? text.split(/\r\n|\r|\n/).length : 0;
  if (/(\r\n|\r|\n)$/.test(text)) lines--;
  const chars = encoder.encode(text.replace(/\s+/g, '')).length;
  return { lines, chars };
}

export function isSubstantial(text: string, t: Thresholds = DEFAULT_THRESHOLDS): boolean {
  const m = measure(text);
  return m.lines >= t.minLines && m.chars >= t.minChars;
}

/** Share of the non-blank inserted lines that already were in the file (a move or refactoring). */
export function movedShare(before: string, inserted: string): number {
  const lines = inserted
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) return 0;
  const existing = new Set(before.split(/\r\n|\r|\n/).map((l) => l.trim()));
  return lines.filter((l) => existing.has(l)).length / lines.length;
}

/**
 * Whether a change event looks like keyboard input: one change that types at
 * most a couple of characters (an auto-closed pair), indentation, a newline
 * with its indentation, or a deletion without insertion.
 */
export function looksTyped(changes: readonly TextChange[]): boolean {
  if (changes.length === 0) return false;
  return changes.every((c) => {
    if (c.text.length === 0) return true;
    if (/^(\r\n|\r|\n)?[ \t]*$/.test(c.text)) return true; // Enter with indentation, Tab
    return c.text.length <= 2 && !/[\r\n]/.test(c.text);
  });
}

/** Whether any change touches (overlaps or abuts) any of the selections, all in offsets. */
export function touchesAny(changes: readonly TextChange[], selections: readonly Span[]): boolean {
  return changes.some((c) => {
    const start = c.rangeOffset;
    const end = c.rangeOffset + Math.max(c.rangeLength, c.text.length);
    return selections.some((s) => s.start <= end && s.end >= start);
  });
}

export function classifyEdit(e: EditEvidence, t: Thresholds = DEFAULT_THRESHOLDS): Decision {
  if (e.reason) return { declare: false, why: e.reason };
  const substantial = e.inserted.filter((text) => isSubstantial(text, t));
  if (substantial.length === 0) return { declare: false, why: 'no multi-line insertion' };
  if (e.duringSave) return { declare: false, why: 'edit made while saving (formatter)' };
  if (!e.dirtyAfter) return { declare: false, why: 'document reloaded from disk' };
  if (e.touchesSelection) return { declare: false, why: 'edit at the cursor (typing, paste, snippet, code action)' };
  if (e.msSinceUserInput < t.quietMs) return { declare: false, why: 'the user was typing' };
  if (substantial.every((text) => movedShare(e.before, text) > t.movedShare)) {
    return { declare: false, why: 'text already in the file (move or refactoring)' };
  }
  if (e.tools.length === 0) return { declare: false, why: 'no known chat or agent extension is active' };
  if (e.tools.length > 1) {
    return { declare: false, why: `several chat/agent tools are active (${e.tools.map((x) => x.tool).join(', ')})` };
  }
  const [tool] = e.tools;
  // a file nobody is looking at, or several files at once, is an agent's work
  const agentLike = !e.visible || e.otherDocumentsInBurst > 0;
  if (agentLike && tool.agent) return { declare: true, tool: tool.tool, kind: 'agent', why: 'agent-like edit' };
  if (!agentLike && tool.chat) return { declare: true, tool: tool.tool, kind: 'chat', why: 'chat edit' };
  if (!tool.chat) return { declare: true, tool: tool.tool, kind: 'agent', why: 'agent-only tool' };
  return { declare: false, why: `${tool.tool} cannot edit files as an agent` };
}
