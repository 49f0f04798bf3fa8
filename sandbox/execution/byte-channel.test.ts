import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-channel.ts';

/** Plays the kernel: fills whatever buffer the reader offers next with the next bytes of `stream`, as Node does. */
function kernel(reader: ByteReader, stream: Uint8Array) {
  let offset = 0;
  let buffer = reader.onread.buffer(); // Node asks for the first buffer when the socket is created
  return (max: number) => {
    const n = Math.min(max, buffer.length, stream.length - offset);
    buffer.set(stream.subarray(offset, offset + n));
    offset += n;
    reader.onread.callback(n, buffer);
    buffer = reader.onread.buffer(); // ... and for the next one after each read
  };
}

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);

describe('ByteReader', () => {
  it('reads exact lengths, keeping bytes that arrive before their read', async () => {
    const reader = new ByteReader(() => Infinity);
    const deliver = kernel(reader, bytes(300));
    deliver(50); // ahead of any read: lands in a spare chunk
    const first = reader.read(120);
    deliver(100); // straight into the target
    expect(new Uint8Array(await first)).toEqual(bytes(120));
    deliver(200);
    expect(new Uint8Array(await reader.read(180))).toEqual(bytes(180, 120));
  });

  it('treats data beyond the read-ahead cap as a broken peer', async () => {
    const reader = new ByteReader(() => 10);
    kernel(reader, bytes(64))(64);
    await expect(reader.read(4)).rejects.toThrow(/unexpected data/);
  });

  it('resolves an empty read at once', async () => {
    expect((await new ByteReader(() => 0).read(0)).byteLength).toBe(0);
  });
});
