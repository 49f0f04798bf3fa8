// Dictionary encoding of text as it arrives: each distinct byte string gets a code the first time it is seen and is
// decoded to a JavaScript string once, so a column of a million rows with a few thousand distinct values costs a few
// thousand strings, not a million.

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Byte strings to dense codes 0, 1, 2, … in order of first appearance; `strings[code]` is the decoded value. */
export class TextInterner {
  readonly strings: string[] = [];
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  private starts: Int32Array<ArrayBuffer> = new Int32Array(1 << 10);
  private lengths: Int32Array<ArrayBuffer> = new Int32Array(1 << 10);
  private hashes: Int32Array<ArrayBuffer> = new Int32Array(1 << 10);
  /** open addressing: slot → code + 1 (0 empty) */
  private slots = new Int32Array(1 << 11);

  get size(): number {
    return this.strings.length;
  }

  /** The code of `bytes[from, to)`, adding it when new. */
  intern(bytes: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    const length = to - from;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const entry = this.slots[s]!;
      if (entry === 0) return this.add(bytes, from, to, h, s);
      const code = entry - 1;
      if (this.hashes[code] !== h || this.lengths[code] !== length) continue;
      const start = this.starts[code]!;
      let same = true;
      for (let k = 0; k < length; k++) {
        if (this.arena[start + k] !== bytes[from + k]) {
          same = false;
          break;
        }
      }
      if (same) return code;
    }
  }

  private add(bytes: Uint8Array, from: number, to: number, h: number, slot: number): number {
    const code = this.strings.length;
    const length = to - from;
    if (this.used + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.used + length));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    this.arena.set(bytes.subarray(from, to), this.used);
    if (code === this.starts.length) {
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
      this.hashes = grow(this.hashes);
    }
    this.starts[code] = this.used;
    this.lengths[code] = length;
    this.hashes[code] = h;
    this.used += length;
    this.strings.push(decoder.decode(bytes.subarray(from, to)));
    this.slots[slot] = code + 1;
    if (2 * (code + 1) > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let code = 0; code < this.strings.length; code++) {
      let s = this.hashes[code]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = code + 1;
    }
    this.slots = slots;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
}
