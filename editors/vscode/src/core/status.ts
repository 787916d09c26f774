/** Text for the status bar, the chunk list and the line provenance message. */

import type { Position } from './positions';
import { comparePositions, rangeContains } from './positions';
import type { ChunkInfo, FileProvenance } from './protocol';
import { assistedBy } from './tools';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export function percent(share: number): string {
  if (!(share > 0)) return '0%';
  if (share < 0.01) return '<1%';
  return `${Math.round(Math.min(share, 1) * 100)}%`;
}

export const isUnreviewed = (c: ChunkInfo): boolean => c.status !== 'reviewed';

/** First and last line (1-based) a chunk covers; a range ending at column 0 ends on the line before. */
export function chunkLines(c: ChunkInfo): [number, number] {
  const first = c.range.start.line + 1;
  let last = c.range.end.line + 1;
  if (c.range.end.character === 0 && c.range.end.line > c.range.start.line) last--;
  return [first, last];
}

export function linesLabel(c: ChunkInfo): string {
  const [first, last] = chunkLines(c);
  return first === last ? `Line ${first}` : `Lines ${first}–${last}`;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** Some unreviewed chunk has findings: worth the user's attention. */
  warning: boolean;
}

export function statusView(state: ServerState, prov: FileProvenance | undefined): StatusView {
  if (state === 'failed') {
    return { text: '$(error) genguard', tooltip: 'genguard is not running. Click to restart it.', warning: true };
  }
  if (state !== 'running') {
    return { text: '$(sync~spin) genguard', tooltip: 'genguard is starting…', warning: false };
  }
  if (!prov || prov.error) {
    return { text: '$(shield) genguard', tooltip: prov?.error ?? 'genguard checks this file.', warning: false };
  }
  const chunks = prov.chunks;
  const unreviewed = chunks.filter(isUnreviewed);
  const withFindings = unreviewed.filter((c) => c.findings.length > 0);
  const share = percent(prov.aiShare ?? 0);
  let text = `$(sparkle) AI ${share}`;
  if (unreviewed.length > 0) text += ` · ${unreviewed.length} unreviewed`;
  const lines = [
    chunks.length === 0
      ? 'genguard: no AI-written code recorded in this file.'
      : `genguard: ${share} of this file's lines are AI-written${lineCounts(prov)}, in ${chunks.length} chunk${chunks.length === 1 ? '' : 's'}.`,
  ];
  if (chunks.length > 0) lines.push(`${unreviewed.length} unreviewed, ${withFindings.length} of them with findings.`);
  if (chunks.length > 0) lines.push('Click to list the chunks.');
  return { text, tooltip: lines.join('\n'), warning: withFindings.length > 0 };
}

/** "(12 of 40 lines; 31% of its bytes)" when the server gives the counts. */
function lineCounts(prov: FileProvenance): string {
  if (prov.aiLines === undefined || prov.totalLines === undefined) return '';
  const bytes = prov.aiByteShare === undefined ? '' : `; ${percent(prov.aiByteShare)} of its bytes`;
  return ` (${prov.aiLines} of ${prov.totalLines} lines${bytes})`;
}

export interface ChunkItem {
  chunkId: string;
  label: string;
  description: string;
  detail: string;
}

function statusWords(c: ChunkInfo): string {
  if (!isUnreviewed(c)) return c.reviewer ? `reviewed by ${c.reviewer}` : 'reviewed';
  return 'unreviewed';
}

function edited(c: ChunkInfo): string | undefined {
  return c.humanEditedShare > 0 ? `${percent(c.humanEditedShare)} edited by hand` : undefined;
}

export function chunkItem(c: ChunkInfo): ChunkItem {
  const icon = isUnreviewed(c) ? (c.findings.length ? '$(warning)' : '$(circle-large-outline)') : '$(pass)';
  const how = c.method === 'heuristic' ? 'inferred' : c.kind;
  const findings = c.findings.length ? `findings: ${c.findings.join(', ')}` : 'no findings';
  return {
    chunkId: c.id,
    label: `${icon} ${linesLabel(c)}`,
    description: [assistedBy(c.tool, c.model), how].filter(Boolean).join(' · '),
    detail: [statusWords(c), findings, edited(c)].filter(Boolean).join(' · '),
  };
}

/** Chunks in file order, for the quick pick. */
export function chunkItems(prov: FileProvenance): ChunkItem[] {
  return [...prov.chunks]
    .sort((a, b) => comparePositions(a.range.start, b.range.start))
    .map(chunkItem);
}

export function chunksOnLine(prov: FileProvenance, line: number): ChunkInfo[] {
  return prov.chunks.filter((c) => {
    const [first, last] = chunkLines(c);
    return line + 1 >= first && line + 1 <= last;
  });
}

/** The chunk under the cursor: the innermost one containing it, else one on its line. */
export function chunkAt(prov: FileProvenance, position: Position): ChunkInfo | undefined {
  const size = (c: ChunkInfo) => (c.range.end.line - c.range.start.line) * 1e6 + c.range.end.character - c.range.start.character;
  const containing = prov.chunks.filter((c) => rangeContains(c.range, position)).sort((a, b) => size(a) - size(b));
  return containing[0] ?? chunksOnLine(prov, position.line)[0];
}

export function describeLine(prov: FileProvenance | undefined, line: number): string {
  const chunks = prov ? chunksOnLine(prov, line) : [];
  if (chunks.length === 0) return `Line ${line + 1}: no AI-written code recorded (typed, or not seen by genguard).`;
  return chunks
    .map((c) => {
      const method = c.method === 'heuristic' ? 'inferred from the edit' : 'declared by the editor';
      const parts = [
        `Line ${line + 1}: AI-written by ${assistedBy(c.tool, c.model)} (${c.kind}, ${method}), ${linesLabel(c).toLowerCase()}`,
        statusWords(c),
        c.findings.length ? `findings: ${c.findings.join(', ')}` : 'no findings',
        edited(c),
      ];
      return parts.filter(Boolean).join('; ') + '.';
    })
    .join(' ');
}

/** 0-based lines that hold AI text, split by review status, for gutter marks. */
export function aiLines(prov: FileProvenance): { unreviewed: number[]; reviewed: number[] } {
  const unreviewed = new Set<number>();
  const reviewed = new Set<number>();
  for (const c of prov.chunks) {
    const [first, last] = chunkLines(c);
    for (let l = first - 1; l < last; l++) (isUnreviewed(c) ? unreviewed : reviewed).add(l);
  }
  for (const l of unreviewed) reviewed.delete(l);
  return { unreviewed: [...unreviewed].sort((a, b) => a - b), reviewed: [...reviewed].sort((a, b) => a - b) };
}
