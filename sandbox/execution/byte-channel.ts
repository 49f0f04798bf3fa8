// Exact-length reads from a stream socket: bodies on the data socket between the pool and a worker.
//
// Bodies go over a socket of their own rather than the IPC channel: Node's IPC serializes messages and parses them in
// 64 KiB chunks, which moved 24 MB in ~75 ms here. Raw bytes read straight into their destination (the `onread`
// option of net.Socket, used on both ends) took ~25 ms; chunks copied from 'data' events ~45 ms.
import type { Socket } from 'node:net';

const SPARE_CHUNK = 64 * 1024;

interface PendingRead {
  target: Uint8Array;
  filled: number;
  resolve(buffer: ArrayBuffer): void;
  reject(err: Error): void;
}

export class ByteReader {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private pending: PendingRead | null = null;
  private failure: Error | null = null;

  /**
   * For `new net.Socket({ fd, onread })`: while a read is pending, the kernel writes straight into its buffer. Bytes
   * that arrive ahead of a read land in a spare chunk and are queued.
   */
  readonly onread = {
    buffer: (): Uint8Array => this.nextBuffer(),
    callback: (length: number, buffer: Uint8Array): boolean => {
      this.received(length, buffer);
      return true; // keep reading
    },
  };

  /** @param maxBuffered bytes that may arrive ahead of a read before the peer is treated as broken */
  constructor(private readonly maxBuffered: () => number) {}

  /** Listens to the socket's end and errors, and to its 'data' events unless it was created with `onread`. */
  attach(socket: Socket, mode: 'data' | 'onread'): void {
    if (mode === 'data') socket.on('data', (chunk: Buffer) => this.received(chunk.length, chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('data socket closed')));
  }

  /**
   * Resolves with a fresh ArrayBuffer of exactly `length` bytes (8-byte aligned, as typed-array views need).
   * @throws (rejects) when the socket closes or errs first, or when a read is already pending
   */
  read(length: number): Promise<ArrayBuffer> {
    if (this.pending) return Promise.reject(new Error('a read is already pending'));
    if (this.failure) return Promise.reject(this.failure);
    const target = new Uint8Array(new ArrayBuffer(length));
    return new Promise((resolve, reject) => {
      this.pending = { target, filled: 0, resolve, reject };
      this.drain();
    });
  }

  private nextBuffer(): Uint8Array {
    const p = this.pending;
    if (p && this.chunks.length === 0 && p.filled < p.target.length) return p.target.subarray(p.filled);
    return new Uint8Array(SPARE_CHUNK);
  }

  private received(length: number, buffer: Uint8Array): void {
    const p = this.pending;
    if (p && buffer.buffer === p.target.buffer && buffer.byteOffset === p.filled) {
      p.filled += length;
    } else {
      this.chunks.push(buffer.subarray(0, length));
      this.buffered += length;
    }
    this.drain();
    if (!this.pending && this.buffered > this.maxBuffered()) this.fail(new Error('unexpected data on the data socket'));
  }

  private drain(): void {
    const p = this.pending;
    if (!p) return;
    while (p.filled < p.target.length && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, p.target.length - p.filled);
      p.target.set(take === chunk.length ? chunk : chunk.subarray(0, take), p.filled);
      p.filled += take;
      this.buffered -= take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    if (p.filled === p.target.length) {
      this.pending = null;
      p.resolve(p.target.buffer as ArrayBuffer);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }
}

/** Writes chunks in order; resolves when the last one is handed to the kernel (so the caller may reuse its arrays). */
export function writeChunks(socket: Socket, chunks: readonly Uint8Array[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (chunks.length === 0) return resolve();
    chunks.forEach((chunk, i) => {
      socket.write(chunk, i === chunks.length - 1 ? (err) => (err ? reject(err) : resolve()) : undefined);
    });
  });
}
