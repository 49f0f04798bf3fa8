// A TCP proxy for tests of a client that must survive the network: put it between the client and a real server, then
// take it down (connections refused), reset every open connection, or lose the answer to one request after the server
// has acted on it — the failures a CLI meets when a gateway restarts or a NAT drops its connection.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** http://127.0.0.1:<port>, the address clients use */
  readonly url: string;
  readonly port: number;
  /** where connections go: the server's port on 127.0.0.1 (until set, connections are closed at once) */
  setTarget(port: number): void;
  /** resets every open connection (the client sees ECONNRESET or "other side closed") */
  resetAll(): void;
  /** stops listening and resets every connection: new connections are refused until up() */
  down(): Promise<void>;
  /** listens again on the same port */
  up(): Promise<void>;
  /**
   * The next request whose first bytes match `request` (e.g. /^POST \/operator\/jobs /) is passed on, and the
   * connection is reset as soon as the server starts answering: the server acted, the client never hears of it.
   */
  loseAnswerTo(request: RegExp): void;
  /** requests whose answer was lost so far */
  readonly lostAnswers: number;
  close(): Promise<void>;
}

export async function startTcpProxy(): Promise<TcpProxy> {
  let target: number | undefined;
  let loseNext: RegExp | undefined;
  let lostAnswers = 0;
  const open = new Set<Socket>();

  function onConnection(client: Socket) {
    if (target === undefined) return void client.destroy();
    const upstream = connect(target, '127.0.0.1');
    open.add(client);
    let losing = false;
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (loseNext?.test(chunk.toString('latin1', 0, 256))) {
        loseNext = undefined;
        losing = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (losing) {
        lostAnswers++;
        open.delete(client);
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  }

  let server: Server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const resetAll = () => {
    for (const s of open) s.resetAndDestroy();
    open.clear();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setTarget: (p) => void (target = p),
    resetAll,
    async down() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      resetAll();
      await closed;
    },
    async up() {
      server = createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
    },
    loseAnswerTo: (request) => void (loseNext = request),
    get lostAnswers() {
      return lostAnswers;
    },
    async close() {
      resetAll();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
