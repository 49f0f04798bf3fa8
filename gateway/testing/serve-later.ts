// A real HTTP server on a free loopback port whose app is attached later: a gateway's public URL (its token issuer)
// must be the URL clients reach, which is known only once the port is.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { App } from '../app.ts';

export interface LateServer {
  port: number;
  attach(app: App): void;
  close(): Promise<void>;
}

export async function serveLater(): Promise<LateServer> {
  let app: App | undefined;
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req, env) => (app ? app.fetch(req, env) : new Response('starting', { status: 503 })), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    attach: (a) => void (app = a),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
