/** genguard's messages beyond plain LSP, as editors/README.md defines them. */

import type { Range } from './positions';

export const AI_EDIT = 'genguard/aiEdit';
export const HUMAN_EDIT = 'genguard/humanEdit';
export const FILE_PROVENANCE = 'genguard/fileProvenance';
/** Server -> client, on start and after each configuration reload. */
export const SETTINGS = 'genguard/settings';
export const MARK_REVIEWED = 'genguard.markReviewed';
export const SUPPRESS = 'genguard.suppress';

export type ChunkKind = 'inline-completion' | 'chat' | 'agent' | 'paste' | 'unknown';

export interface AiEditParams {
  textDocument: { uri: string; version?: number };
  range: Range;
  tool: string;
  model?: string;
  promptHash?: string;
  kind?: ChunkKind;
}

/**
 * What the server tells the editor of a workspace's settings (`genguard/settings`).
 * Its shape and defaults are generated from the server's option declarations
 * into `serverDefaults.json`.
 */
export interface ServerSettings {
  heuristics: { minLines: number; minChars: number };
}

export interface ChunkInfo {
  id: string;
  range: Range;
  tool: string;
  model?: string | null;
  method: string;
  kind: string;
  status: string;
  reviewer?: string | null;
  findings: string[];
  suppressed?: string[];
  humanEditedShare: number;
}

export interface FileProvenance {
  uri?: string;
  version?: number;
  /** Share of the file's lines that are AI-written (the one definition of AI share). */
  aiShare?: number;
  aiShareOf?: 'lines';
  aiLines?: number;
  totalLines?: number;
  /** Share of the file's bytes, a second figure. */
  aiByteShare?: number;
  chunks: ChunkInfo[];
  error?: string;
}

export function aiEditParams(
  uri: string,
  version: number,
  range: Range,
  tool: string,
  kind: ChunkKind,
  model?: string,
): AiEditParams {
  const params: AiEditParams = { textDocument: { uri, version }, range, tool, kind };
  if (model) params.model = model;
  return params;
}

/**
 * The code action "Suppress rule here" sends `genguard.suppress` with
 * `[uri, chunkId, ruleId]`; the server needs a fourth argument, the
 * justification, which the client asks the user for.
 */
export function needsJustification(command: string, args: readonly unknown[]): boolean {
  return command === SUPPRESS && args.length === 3;
}

/** Input-box validation: a justification is required and must say something. */
export function justificationProblem(value: string): string | undefined {
  const text = value.trim();
  if (!text) return 'A justification is required: it is recorded in the ledger with your name.';
  if (!/[\p{L}\p{N}]/u.test(text)) return 'Write a reason in words.';
  return undefined;
}
