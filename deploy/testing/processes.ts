// Test support: the services of compose.yaml started as plain processes on loopback, each in its own process group
// (so a kill takes its isolate workers with it, as a container's end would), with their output kept for failures.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
}

/** The platform services of compose.yaml (everything but postgres), by name. */
export function composeServices(): Record<string, ComposeService> {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  return Object.fromEntries(Object.entries(compose.services).filter(([name]) => name !== 'postgres'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningProcess {
  name: string;
  readonly pid: number;
  /** what it wrote so far (stdout and stderr interleaved) */
  output(): string;
  /** signals the whole process group */
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<number | null>;
}

/**
 * Starts a compose service's command as a process: `node` is this Node, with this process's V8 flags (vitest's
 * workaround flags reach the children too). Only PATH is inherited besides `env`: no test secret leaks in.
 */
export function startService(name: string, command: string[], env: Record<string, string>): RunningProcess {
  const [program, ...args] = command;
  if (program !== 'node') throw new TypeError(`${name}: the topology test runs node commands only`);
  const v8Flags = process.execArgv.filter((a) => a.startsWith('--no-turbo') || a.startsWith('--max-old-space-size'));
  const child: ChildProcess = spawn(process.execPath, [...v8Flags, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    name,
    pid: child.pid!,
    output: () => output,
    kill(signal) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    },
    exited,
  };
}

/** Polls `check` until it returns a value other than undefined; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Stops every process: SIGTERM, then SIGKILL what is still there after `graceMs`. */
export async function stopAll(processes: RunningProcess[], graceMs = 10_000): Promise<void> {
  for (const p of processes) p.kill('SIGTERM');
  await Promise.race([Promise.all(processes.map((p) => p.exited)), new Promise((r) => setTimeout(r, graceMs))]);
  for (const p of processes) p.kill('SIGKILL');
}
