/**
 * Offsets and LSP positions over a JavaScript string.
 *
 * VS Code, vscode-languageclient (which offers the server only `utf-16`) and JS
 * strings all count UTF-16 code units, so a character is a code unit here. The
 * care is in the edges: `\r\n`, `\n` and `\r` all end a line (as in LSP), and a
 * position never lands inside a line break or between the halves of a
 * surrogate pair (an emoji), where the server would see no valid offset.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Moves an offset off the second half of a surrogate pair or of a `\r\n`. */
export function snapOffset(text: string, offset: number): number {
  const o = Math.max(0, Math.min(offset, text.length));
  if (o > 0 && o < text.length) {
    const prev = text.charCodeAt(o - 1);
    const next = text.charCodeAt(o);
    if ((isHighSurrogate(prev) && isLowSurrogate(next)) || (prev === 13 && next === 10)) {
      return o - 1;
    }
  }
  return o;
}

export class LineIndex {
  /** Offset where each line starts; always begins with 0. */
  readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset just past the last character of `line`, before its line break. */
  lineContentEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const o = snapOffset(this.text, offset);
    const line = this.lineOf(o);
    // an offset inside a line break belongs to the end of its line
    const character = Math.min(o, this.lineContentEnd(line)) - this.starts[line];
    return { line, character };
  }

  /** Offset of a position; out-of-range lines and characters are clamped. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const end = this.lineContentEnd(position.line);
    const o = Math.min(start + Math.max(0, position.character), end);
    return snapOffset(this.text, o);
  }

  rangeAt(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}
