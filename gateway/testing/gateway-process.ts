// Test support: `npm start` as a real process (node --import tsx gateway/main.ts) on a free loopback port, with its
// output kept for failures, and what its children are (job workers, the embedded database) read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OperatorClient, readCredentials } from '../../sdk/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  output(): string;
  /** signals the gateway alone (not its process group): what it does with its children is what is tested */
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** the demo operator's client (DEMO=1 writes its credentials to DATA_DIR) */
  demoOperator(dataDir: string): Promise<OperatorClient>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Starts the gateway with `env` (only PATH inherited) and resolves once /readyz says ready. */
export async function startGateway(env: Record<string, string>, readyWithinMs = 120_000): Promise<GatewayProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const v8Flags = process.execArgv.filter((a) => a.startsWith('--no-turbo') || a.startsWith('--max-old-space-size'));
  const child: ChildProcess = spawn(process.execPath, [...v8Flags, '--import', 'tsx', 'gateway/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const gateway: GatewayProcess = {
    url,
    pid: child.pid!,
    output: () => output,
    kill: (signal) => void child.kill(signal),
    exited,
    async demoOperator(dataDir) {
      const credentials = await readCredentials(resolve(dataDir, 'demo-operator.json'));
      return new OperatorClient({ ...credentials, baseUrl: url });
    },
  };
  const deadline = Date.now() + readyWithinMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the gateway exited before it was ready:\n${output.slice(-3000)}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) return gateway;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the gateway was not ready in time:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The processes whose parent is `pid`, with their command lines. */
export function childrenOf(pid: number): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the ppid is the 2nd field after the parenthesised command name (which may hold spaces)
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push({ pid: Number(name), command: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Whether a process with this id still exists (and is not a zombie). */
export function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** Polls `check` until it returns something other than undefined; throws naming `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(check)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
