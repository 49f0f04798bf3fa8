// A streaming RFC 4180 CSV parser over decoded text, exact about line numbers and fast on plain lines.
// It reads what csv-parse reads with { relax_column_count, skip_empty_lines } (the BOM is the caller's): the
// record delimiter is whichever of \r\n, \n, \r ends the first line, a record's line is the line it ends on
// (every CR and LF counts, except the LF of a CRLF delimiter), and empty lines are skipped. csv-records.test.ts
// holds it to csv-parse on random input.

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Malformed quoting; `line` is where csv-parse would report it. Carries no text from the input. */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`malformed CSV at line ${line}`);
  }
}

/** CR and LF characters in s[from, to). */
function breaks(s: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || c === CR) count++;
  }
  return count;
}

/** Feed text with `push` and `end`; take records with `next` until it returns undefined. */
export class CsvRecords {
  /** the line the record last returned by `next` ends on (1-based) */
  line = 0;
  /**
   * The text of the record last returned by `next` when it had no quotes or line breaks (its cells are that text
   * split at commas); undefined for other records.
   */
  plain: string | undefined;
  private text = '';
  private pos = 0;
  /** 1 + the counted line breaks before `pos` */
  private lines = 1;
  private delimiter: '' | '\n' | '\r' | '\r\n' = '';
  private pending: string[] = [];
  private pendingLength = 0;
  private final = false;
  /** the record at `pos` is incomplete in `text`: wait for more text before parsing it again */
  private stalled = false;
  // next quote, CR and LF at or after `pos` (text.length when none); -1 when unknown
  private nextQuote = -1;
  private nextCr = -1;
  private nextLf = -1;

  push(text: string): void {
    if (text === '') return;
    this.pending.push(text);
    this.pendingLength += text.length;
  }

  end(): void {
    this.final = true;
    this.stalled = false;
  }

  /** The next record's fields, or undefined when more text is needed (or, after `end`, when all is read). */
  next(): string[] | undefined {
    for (;;) {
      if (!this.stalled) {
        const record = this.parse(this.final && this.pending.length === 0);
        if (record !== undefined) return record;
        this.stalled = true;
      }
      if (this.pending.length === 0) return undefined;
      // re-parse an incomplete record only once the text has doubled, so a huge field costs linear time
      if (!this.final && this.pendingLength < this.text.length - this.pos) return undefined;
      this.text = this.text.slice(this.pos) + this.pending.join('');
      this.pos = 0;
      this.pending = [];
      this.pendingLength = 0;
      this.nextQuote = this.nextCr = this.nextLf = -1;
      this.stalled = false;
    }
  }

  private parse(eof: boolean): string[] | undefined {
    const s = this.text;
    for (;;) {
      const pos = this.pos;
      if (pos >= s.length) return undefined;
      const delimiter = this.delimiter;
      if (delimiter !== '') {
        // fast path: a whole line without quotes or stray line breaks
        const end = s.indexOf(delimiter, pos);
        if (end < 0 && !eof) return undefined;
        if (end === pos) {
          this.lines++;
          this.pos = end + delimiter.length;
          continue;
        }
        if (end > pos && this.after('nextQuote', '"', pos) > end && this.noBreaks(delimiter, pos, end)) {
          this.line = this.lines++;
          this.pos = end + delimiter.length;
          const text = s.slice(pos, end);
          this.plain = text;
          return text.split(',');
        }
      }
      const record = this.parseSlowly(s, eof);
      if (record !== null) return record;
    }
  }

  /** Position of the next `char` at or after `pos`, cached per text. */
  private after(cache: 'nextQuote' | 'nextCr' | 'nextLf', char: string, pos: number): number {
    let at = this[cache];
    if (at < pos) {
      at = this.text.indexOf(char, pos);
      this[cache] = at = at < 0 ? this.text.length : at;
    }
    return at;
  }

  /** No CR or LF in text[pos, end) besides the delimiter at `end`. */
  private noBreaks(delimiter: string, pos: number, end: number): boolean {
    if (delimiter !== '\r' && this.after('nextCr', '\r', pos) < end) return false;
    return delimiter === '\n' || this.after('nextLf', '\n', pos) >= end;
  }

  /** Length of the record delimiter at s[i] (a CR or LF), 0 when none, -1 when undecidable without more text. */
  private delimiterAt(s: string, i: number, eof: boolean): number {
    const c = s.charCodeAt(i);
    switch (this.delimiter) {
      case '\n':
        return c === LF ? 1 : 0;
      case '\r':
        return c === CR ? 1 : 0;
      case '\r\n':
        if (c !== CR) return 0;
        if (i + 1 < s.length) return s.charCodeAt(i + 1) === LF ? 2 : 0;
        return eof ? 0 : -1;
      default:
        if (c === LF) this.delimiter = '\n';
        else if (i + 1 < s.length) this.delimiter = s.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
        else if (eof) this.delimiter = '\r';
        else return -1;
        return this.delimiter.length;
    }
  }

  /** Character by character; null after skipping an empty line, undefined when the record is incomplete. */
  private parseSlowly(s: string, eof: boolean): string[] | null | undefined {
    const n = s.length;
    let pos = this.pos;
    let lines = this.lines;
    const first = s.charCodeAt(pos);
    if (first === CR || first === LF) {
      const length = this.delimiterAt(s, pos, eof);
      if (length < 0) return undefined;
      if (length > 0) {
        this.lines++;
        this.pos = pos + length;
        return null;
      }
    }
    const fields: string[] = [];
    for (;;) {
      let value = '';
      let i = pos;
      if (s.charCodeAt(i) === QUOTE) {
        for (i++; ; ) {
          const q = s.indexOf('"', i);
          if (q < 0) {
            if (!eof) return undefined;
            throw new CsvSyntaxError(lines + breaks(s, i, n - 1));
          }
          lines += breaks(s, i, q);
          value += s.slice(i, q);
          i = q + 1;
          if (i >= n) {
            if (!eof) return undefined;
            break;
          }
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            value += '"';
            i++;
            continue;
          }
          if (c === COMMA || c === 0) break; // csv-parse also closes the quote before a NUL
          if (c === CR || c === LF) {
            const length = this.delimiterAt(s, i, eof);
            if (length < 0) return undefined;
            if (length > 0) break;
          }
          throw new CsvSyntaxError(lines);
        }
      }
      // the unquoted field, or what follows a closing quote
      for (let j = i; ; j++) {
        if (j >= n) {
          if (!eof) return undefined;
          fields.push(value + s.slice(i, j));
          const last = s.charCodeAt(n - 1);
          this.line = last === CR || last === LF ? lines - 1 : lines;
          this.plain = undefined;
          this.pos = n;
          return fields;
        }
        const c = s.charCodeAt(j);
        if (c === COMMA) {
          fields.push(value + s.slice(i, j));
          pos = j + 1;
          break;
        }
        if (c === QUOTE) throw new CsvSyntaxError(lines);
        if (c === CR || c === LF) {
          const length = this.delimiterAt(s, j, eof);
          if (length < 0) return undefined;
          if (length > 0) {
            fields.push(value + s.slice(i, j));
            this.line = lines;
            this.plain = undefined;
            this.lines = lines + 1;
            this.pos = j + length;
            return fields;
          }
          lines++;
        }
      }
    }
  }
}
