// The embedded database behind the PostgreSQL wire protocol: PGlite answers, in a process of its own, every client
// that speaks the protocol (the gateway's and the workers' postgres.js), so the embedded default runs the same code
// paths as a real server and none of the database's work runs on the gateway's event loop.
//
// PGlite is one backend session. The server gives a client the session from its first message until the session is
// idle again (ReadyForQuery 'I'): an extended-protocol exchange (Parse … Sync) or a whole transaction runs alone, and
// other clients queue meanwhile. Clients must not rely on session state between transactions (postgres.js with
// `prepare: false` does not). COPY … FROM STDIN, which PGlite cannot read from the protocol, is received here and
// handed to PGlite as COPY … FROM '/dev/blob' in pieces; COPY … TO STDOUT PGlite streams itself.
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
/** COPY FROM STDIN data is handed to PGlite in pieces of about this size (inside the client's transaction). */
const COPY_PIECE_BYTES = 8 * 1024 * 1024;
const COPY_FROM_STDIN = /^\s*copy\s+([\s\S]+?)\s+from\s+stdin\b([\s\S]*)$/i;

/** One session, one holder at a time; waiters in arrival order. */
class SessionLock {
  private holder: object | null = null;
  private readonly waiting: { who: object; go: () => void }[] = [];

  async acquire(who: object): Promise<void> {
    if (this.holder === who) return;
    if (this.holder === null) {
      this.holder = who;
      return;
    }
    await new Promise<void>((go) => this.waiting.push({ who, go }));
  }

  release(who: object): void {
    if (this.holder !== who) return;
    const next = this.waiting.shift();
    this.holder = next ? next.who : null;
    next?.go();
  }

  /** Drops a client that went away while waiting. */
  forget(who: object): void {
    const k = this.waiting.findIndex((w) => w.who === who);
    if (k >= 0) this.waiting.splice(k, 1);
  }

  held(who: object): boolean {
    return this.holder === who;
  }
}

export interface WireServer {
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves `db` on `listen` (a Unix socket path or a TCP port on loopback). Resolves once listening. */
export async function serveWire(db: PGlite, listen: { path: string } | { port: number; host: string }): Promise<WireServer> {
  const lock = new SessionLock();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const client = new Client(db, lock, socket);
    socket.on('data', (chunk) => client.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      void client.gone();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('path' in listen) server.listen(listen.path, resolve);
    else server.listen(listen.port, listen.host, resolve);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

class Client {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** COPY FROM STDIN in progress: the PGlite statement and the data received so far */
  private copyIn: { statement: string; pieces: Buffer[]; size: number; rows: number; inTransaction: boolean; failed: unknown } | null = null;

  constructor(private readonly db: PGlite, private readonly lock: SessionLock, private readonly socket: Socket) {}

  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    // messages are handled strictly in order, one at a time
    this.chain = this.chain
      .then(() => this.drain())
      .catch(() => {
        this.socket.destroy();
      });
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (this.buffer.length < length) return;
        const message = this.take(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          // PGlite has no backend to interrupt; the request is dropped (as pglite-socket does)
          this.socket.end();
          return;
        }
        this.started = true;
        await this.run(message);
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1) + 1;
      if (this.buffer.length < length) return;
      const message = this.take(length);
      const type = String.fromCharCode(message[0]!);
      if (type === 'X') {
        await this.gone();
        this.socket.end();
        return;
      }
      if (this.copyIn) await this.copyMessage(type, message);
      else if (type === 'Q' && COPY_FROM_STDIN.test(queryText(message))) await this.startCopyIn(queryText(message));
      else await this.run(message);
    }
  }

  private take(length: number): Buffer {
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  /** Runs one message with the session held; releases it when the session is idle again. */
  private async run(message: Buffer): Promise<void> {
    await this.lock.acquire(this);
    if (this.closed) return this.lock.release(this);
    const out = await this.db.execProtocolRaw(new Uint8Array(message.buffer, message.byteOffset, message.length));
    if (out.length > 0) this.socket.write(out);
    this.afterReply(out);
  }

  private afterReply(out: Uint8Array): void {
    // the reply ends with ReadyForQuery ('Z', length 5, status) when the exchange is over
    const n = out.length;
    if (n >= 6 && out[n - 6] === 0x5a && out[n - 2] === 5 && out[n - 1] === 0x49) this.lock.release(this);
  }

  private async startCopyIn(text: string): Promise<void> {
    await this.lock.acquire(this);
    const [, target, rest] = COPY_FROM_STDIN.exec(text)!;
    this.copyIn = { statement: `COPY ${target} FROM '/dev/blob'${rest}`, pieces: [], size: 0, rows: 0, inTransaction: this.db.isInTransaction(), failed: null };
    // CopyInResponse: text format, no per-column formats
    this.socket.write(message('G', Buffer.from([0, 0, 0])));
  }

  private async copyMessage(type: string, raw: Buffer): Promise<void> {
    const copy = this.copyIn!;
    if (type === 'd') {
      if (copy.failed) return;
      copy.pieces.push(Buffer.from(raw.subarray(5)));
      copy.size += raw.length - 5;
      // inside a transaction a piece may go in early: the client's COMMIT or ROLLBACK still decides for all of it
      if (copy.inTransaction && copy.size >= COPY_PIECE_BYTES) await this.flushCopy();
      return;
    }
    if (type === 'c') {
      if (!copy.failed) await this.flushCopy();
      this.copyIn = null;
      if (copy.failed) this.fail(copy.failed, copy.inTransaction);
      else this.socket.write(Buffer.concat([message('C', cString(`COPY ${copy.rows}`)), readyForQuery(copy.inTransaction ? 'T' : 'I')]));
      if (!copy.inTransaction) this.lock.release(this);
      return;
    }
    if (type === 'f') {
      this.copyIn = null;
      this.fail(new Error('COPY from stdin failed: the client cancelled it'), copy.inTransaction, '57014');
      if (!copy.inTransaction) this.lock.release(this);
      return;
    }
    // Flush and Sync are allowed during COPY and ignored
  }

  private async flushCopy(): Promise<void> {
    const copy = this.copyIn!;
    if (copy.size === 0) return;
    const blob = new Blob(copy.pieces);
    copy.pieces = [];
    copy.size = 0;
    try {
      const result = await this.db.query(copy.statement, [], { blob });
      copy.rows += result.affectedRows ?? 0;
    } catch (err) {
      copy.failed = err;
    }
  }

  /** ErrorResponse and ReadyForQuery (failed transaction, or idle). */
  private fail(err: unknown, inTransaction: boolean, fallbackCode = 'XX000'): void {
    const e = err as { code?: string; message?: string };
    const fields = Buffer.concat([field('S', 'ERROR'), field('V', 'ERROR'), field('C', e.code ?? fallbackCode), field('M', e.message ?? 'error'), Buffer.from([0])]);
    this.socket.write(Buffer.concat([message('E', fields), readyForQuery(inTransaction ? 'E' : 'I')]));
  }

  /** The client went away: its open transaction is rolled back and the session handed on. */
  async gone(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lock.forget(this);
    if (this.lock.held(this)) {
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => {});
      this.lock.release(this);
    }
  }
}

function queryText(message: Buffer): string {
  return message.toString('utf8', 5, message.length - 1);
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function cString(s: string): Buffer {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

function field(code: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(code, 'latin1'), cString(value)]);
}

function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return message('Z', Buffer.from(status, 'latin1'));
}
