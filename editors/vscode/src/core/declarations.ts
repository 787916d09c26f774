/** From observed change events to the `genguard/aiEdit` notifications that declare them. */

import { hasContent, insertedSpans, type TextChange } from './diff';
import { LineIndex } from './positions';
import { type AiEditParams, aiEditParams, type ChunkKind } from './protocol';

export interface ObservedBatch {
  changes: readonly TextChange[];
  /** Document version right after this batch. */
  version: number;
}

/**
 * One declaration per separate piece of inserted text, with ranges against the
 * version after the last batch (the server maps older versions forward, but
 * the latest one needs no mapping). Whitespace-only pieces, such as accepted
 * indentation, are not declared: there is nothing to attribute.
 */
export function declarations(
  uri: string,
  before: string,
  batches: readonly ObservedBatch[],
  tool: string,
  kind: ChunkKind,
): AiEditParams[] {
  if (batches.length === 0) return [];
  const { after, spans } = insertedSpans(
    before,
    batches.map((b) => b.changes),
  );
  const version = batches[batches.length - 1].version;
  const index = new LineIndex(after);
  return spans
    .filter((span) => hasContent(after, span))
    .map((span) => aiEditParams(uri, version, index.rangeAt(span.start, span.end), tool, kind));
}
