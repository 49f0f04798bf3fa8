// Starting the embedded database's process (host.ts) and waiting until it serves. Its socket lives in a private
// temporary directory (mode 0700: only this user can connect; a path short enough for a Unix socket wherever
// DATA_DIR is), and the process is told to stop with the caller.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface EmbeddedHost {
  /** the socket the database serves on (openDatabase({ embeddedSocket })) */
  readonly socket: string;
  readonly pid: number;
  /** resolves with the exit code when the process ends (expectedly or not) */
  readonly exited: Promise<number | null>;
  /** stops the database cleanly (its files flushed, the directory's lock released) */
  stop(): Promise<void>;
}

/** The embedded database could not start; the message is one line, safe to print, saying what to fix. */
export class EmbeddedStartError extends Error {
  override readonly name = 'EmbeddedStartError';
}

/** Starts PGlite on `dataDir` in its own process. Rejects with EmbeddedStartError, the process's own reason, if it cannot start. */
export async function startEmbeddedHost(dataDir: string): Promise<EmbeddedHost> {
  const dir = mkdtempSync(join(tmpdir(), 'gdp-db-'));
  const socket = join(dir, '.s.PGSQL.5432');
  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  const entry = fileURLToPath(new URL(typescript ? './host.ts' : './host.js', here));
  const loader = typescript ? ['--import', pathToFileURL(createRequire(here).resolve('tsx')).href] : [];
  const child: ChildProcess = fork(entry, [], {
    execArgv: loader,
    // only what it needs: no secrets of the gateway's
    env: { PATH: process.env.PATH, EMBEDDED_DATA_DIR: resolve(dataDir), EMBEDDED_SOCKET: socket },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  let reason: string | null = null;
  await new Promise<void>((ready, fail) => {
    child.on('message', (m: { t?: string; reason?: string }) => {
      if (m?.t === 'ready') ready();
      if (m?.t === 'failed') reason = String(m.reason);
    });
    void exited.then((code) => fail(new EmbeddedStartError(reason ?? `the embedded database stopped at start (exit ${code})`)));
  });
  return {
    socket,
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      await exited;
      clearTimeout(killer);
    },
  };
}
