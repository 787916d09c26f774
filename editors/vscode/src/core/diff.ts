/**
 * What a change really inserted, and where that text ends up.
 *
 * Editors often replace more than they add: accepting the completion `print(x)`
 * after typing `pri` replaces `pri` with `print(x)`. Only `nt(x)` came from the
 * AI, so every change is trimmed to the part that differs from the text it
 * replaced before it is declared.
 */

import { isHighSurrogate, isLowSurrogate } from './positions';

/** One content change as VS Code reports it: offsets in UTF-16 code units. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/** A half-open span of offsets, `[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

export interface Difference {
  /** Offset where old and new text start to differ. */
  start: number;
  /** End of the differing part in the old text. */
  oldEnd: number;
  /** End of the differing part in the new text. */
  newEnd: number;
}

/**
 * The one region where `after` differs from `before`, found by trimming their
 * common prefix and suffix. The cut never splits a surrogate pair or a `\r\n`,
 * so the result converts to valid positions.
 */
export function difference(before: string, after: string): Difference {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0) {
    const last = after.charCodeAt(prefix - 1);
    const crlfSplit = last === 13 && (after.charCodeAt(prefix) === 10 || before.charCodeAt(prefix) === 10);
    if (isHighSurrogate(last) || crlfSplit) prefix--;
  }
  let suffix = 0;
  const room = max - prefix;
  while (
    suffix < room &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  if (suffix > 0) {
    const first = after.charCodeAt(after.length - suffix);
    const crlfSplit =
      first === 10 &&
      (after.charCodeAt(after.length - suffix - 1) === 13 || before.charCodeAt(before.length - suffix - 1) === 13);
    if (isLowSurrogate(first) || crlfSplit) suffix--;
  }
  return { start: prefix, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

/** Applies changes one after another, each against the result of the previous (LSP order). */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of changes) {
    const start = Math.min(c.rangeOffset, out.length);
    const end = Math.min(start + c.rangeLength, out.length);
    out = out.slice(0, start) + c.text + out.slice(end);
  }
  return out;
}

/** Where an earlier span's start lands after `[start, oldEnd)` became text `delta` longer. */
function mapStart(offset: number, start: number, oldEnd: number, delta: number): number {
  if (offset < start) return offset;
  if (offset >= oldEnd) return offset + delta;
  return start; // inside the replaced text: the span grows to cover the replacement
}

function mapEnd(offset: number, start: number, oldEnd: number, delta: number): number {
  return offset <= start ? offset : Math.max(offset, oldEnd) + delta;
}

function merge(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

export interface Insertions {
  /** The text after every change. */
  after: string;
  /** Where the inserted text sits in `after`, merged where spans touch. */
  spans: Span[];
}

/**
 * Follows batches of changes (one batch per change event) from `before` and
 * reports where the newly inserted text sits in the final text. Later changes
 * move earlier spans, and a span that a later change rewrites grows to cover
 * the rewrite (an accept followed by an auto-closed bracket stays one span).
 */
export function insertedSpans(before: string, batches: readonly (readonly TextChange[])[]): Insertions {
  let text = before;
  let spans: Span[] = [];
  for (const batch of batches) {
    for (const change of batch) {
      const start = Math.min(change.rangeOffset, text.length);
      const oldEnd = Math.min(start + change.rangeLength, text.length);
      const delta = change.text.length - (oldEnd - start);
      spans = spans.map((s) => ({
        start: mapStart(s.start, start, oldEnd, delta),
        end: mapEnd(s.end, start, oldEnd, delta),
      }));
      const d = difference(text.slice(start, oldEnd), change.text);
      if (d.newEnd > d.start) spans.push({ start: start + d.start, end: start + d.newEnd });
      text = text.slice(0, start) + change.text + text.slice(oldEnd);
      spans = merge(spans);
    }
  }
  return { after: text, spans };
}

/** True when a span holds something other than whitespace. */
export function hasContent(text: string, span: Span): boolean {
  return /\S/.test(text.slice(span.start, span.end));
}
