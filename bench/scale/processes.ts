// The platform's own processes, started the way an operator starts them: `npm start` (the gateway) and `npm run worker`
// run from package.json's scripts with node_modules/.bin first on PATH, each in a process group of its own so that a
// stop ends whatever the script started (a worker child of the gateway, isolate processes, an embedded database
// process). Their output goes to a log file in the bench's temporary directory, read when something fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface PlatformProcess {
  /** the pid of the script's shell (its process group) */
  readonly pid: number;
  readonly log: string;
  /** the pid of the node process running `entry` (found among the group's descendants) */
  nodePid(entry: string): Promise<number>;
  /** SIGTERM to the group, SIGKILL after 15 s; resolves when the script has exited */
  stop(): Promise<void>;
  readonly exited: Promise<number | null>;
}

function script(name: 'start' | 'worker'): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = pkg.scripts[name];
  if (!command) throw new Error(`package.json has no "${name}" script`);
  return command;
}

/** Process groups still running: killed if the bench itself exits or is interrupted, so none outlives it. */
const live = new Set<number>();
let guarded = false;
function guard(): void {
  if (guarded) return;
  guarded = true;
  process.once('exit', () => {
    for (const pid of live) signalGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const pid of live) signalGroup(pid, 'SIGKILL');
      process.exit(130);
    });
  }
}

/** Runs package.json's script `name` as npm would (cwd the repository, node_modules/.bin first on PATH). */
export function runScript(name: 'start' | 'worker', env: Record<string, string>, logFile: string): PlatformProcess {
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn('/bin/sh', ['-c', script(name)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid!;
  guard();
  live.add(pid);
  void exited.then(() => live.delete(pid));
  return {
    pid,
    log: logFile,
    exited,
    async nodePid(entry) {
      for (let i = 0; i < 200; i++) {
        for (const p of descendants(pid)) if (cmdline(p).includes(entry)) return p;
        await sleep(50);
      }
      throw new Error(`no process running ${entry} under ${pid}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(pid, 'SIGTERM');
      const killer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
      // what the script started may outlive the shell for a moment (isolate processes): end the group's stragglers
      signalGroup(pid, 'SIGKILL');
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Every live descendant of `pid`, breadth first (Linux /proc). */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      // exited meanwhile
    }
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

/** VmHWM (peak resident set) and VmRSS of a process in MB, from /proc/<pid>/status. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `url` answers 200 (or the process exits, or `timeoutMs` passes); the log's tail is in the error. */
export async function waitReady(url: string, proc: PlatformProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} never became ready${exited ? ' (the process exited)' : ''}; log tail:\n${await logTail(proc.log)}`);
}

/** Waits for a line containing `text` in the process's log. */
export async function waitForLog(proc: PlatformProcess, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readFile(proc.log, 'utf8').catch(() => '')).includes(text)) return;
    await sleep(100);
  }
  throw new Error(`"${text}" never appeared; log tail:\n${await logTail(proc.log)}`);
}

export async function logTail(file: string, lines = 15): Promise<string> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(-lines).join('\n');
}
