// One process at a time on an embedded database directory: PGlite's files are not safe to share.
//
// A PID alone cannot name the lock's owner: PIDs are reused (a restarted container hands out the same small numbers),
// and another PID namespace (a second container on the same volume) sees other processes under the same numbers. So
// the lock records the owner's PID with the start time of that process (/proc/<pid>/stat), the boot id and the PID
// namespace, and a lock is taken over only when its owner is provably gone: the machine has rebooted since, or — in
// the same namespace — the PID is not running or now belongs to a process started at another time. A lock from
// another namespace or host is never taken over (its owner cannot be checked from here): the refusal says which
// file to remove once that process is known to be stopped.
//
// The file is written whole and linked into place (link fails if the name exists), so no reader ever sees a half-
// written lock; a stale lock is moved aside by rename before the new one is linked, so two processes racing for it
// cannot both win. Elsewhere than Linux only the PID is checked, as before.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors/index.ts';

interface Owner {
  pid: number;
  /** the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null off Linux */
  started: string | null;
  boot: string | null;
  pidNamespace: string | null;
  host: string;
  /** tells this lock from another lock of the same process */
  token: string;
}

function read(path: string, how: (path: string) => string): string | null {
  try {
    return how(path).trim();
  } catch {
    return null;
  }
}

/** Start time of a running process, or null when it is not running (or there is no /proc). */
export function processStartTime(pid: number): string | null {
  const stat = read(`/proc/${pid}/stat`, (p) => readFileSync(p, 'utf8'));
  if (stat === null) return null;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields are counted after the last ')'
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function self(token: string): Owner {
  return {
    pid: process.pid,
    started: processStartTime(process.pid),
    boot: read('/proc/sys/kernel/random/boot_id', (p) => readFileSync(p, 'utf8')),
    pidNamespace: read('/proc/self/ns/pid', readlinkSync),
    host: hostname(),
    token,
  };
}

function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock's owner as written: the JSON of this version, or the bare PID of earlier ones (taken to be from here). */
function parseOwner(text: string, me: Owner): Owner | null {
  if (/^\d+$/.test(text.trim())) return { pid: Number(text), started: null, boot: null, pidNamespace: me.pidNamespace, host: me.host, token: '' };
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (!Number.isInteger(o.pid) || (o.pid as number) <= 0 || typeof o.host !== 'string') return null;
    return { pid: o.pid!, started: o.started ?? null, boot: o.boot ?? null, pidNamespace: o.pidNamespace ?? null, host: o.host, token: o.token ?? '' };
  } catch {
    return null;
  }
}

/** 'gone' only when proven; 'elsewhere' when the owner lives where this process cannot look. */
export function ownerState(owner: Owner, me: Owner): 'alive' | 'gone' | 'elsewhere' {
  if (owner.boot !== null && me.boot !== null && owner.boot !== me.boot) return 'gone';
  if (owner.host !== me.host || owner.pidNamespace !== me.pidNamespace) return 'elsewhere';
  if (!pidRunning(owner.pid)) return 'gone';
  if (owner.started !== null && me.started !== null && processStartTime(owner.pid) !== owner.started) return 'gone';
  return 'alive';
}

function describe(owner: Owner): string {
  return `process ${owner.pid}${owner.host ? ` on ${owner.host}` : ''}`;
}

/** Takes the lock or throws DATABASE_LOCKED; a lock whose owner is provably gone is taken over. Returns the release. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, 'platform.lock');
  const me = self(randomBytes(8).toString('hex'));
  const mine = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const staged = join(dir, `platform.lock.${me.pid}.${me.token}`);
    writeFileSync(staged, mine, { mode: 0o600 });
    try {
      linkSync(staged, file);
      return () => {
        // only our own lock is removed (never one that replaced it)
        if (read(file, (p) => readFileSync(p, 'utf8')) === mine.trim()) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(staged, { force: true });
    }
    takeOverIfStale(file, me);
  }
  throw new AppError('DATABASE_LOCKED', 'could not lock the embedded database directory (another process keeps taking it)');
}

/** Moves a stale lock aside (or throws DATABASE_LOCKED naming its live owner). */
function takeOverIfStale(file: string, me: Owner): void {
  let text: string;
  let inode: number;
  try {
    inode = statSync(file).ino;
    text = readFileSync(file, 'utf8');
  } catch {
    return; // released meanwhile: try again
  }
  const owner = parseOwner(text, me);
  if (owner) {
    const state = ownerState(owner, me);
    if (state === 'alive') {
      throw new AppError('DATABASE_LOCKED', `the embedded database is in use by ${describe(owner)}; stop it or use DATABASE_URL`);
    }
    if (state === 'elsewhere') {
      throw new AppError(
        'DATABASE_LOCKED',
        `the embedded database is locked by ${describe(owner)} in another container or PID namespace; if that process is stopped, remove ${file}`,
      );
    }
  }
  // stale (or unreadable garbage): moved aside atomically; only the process whose rename took this very file goes on
  const aside = `${file}.stale.${me.pid}.${me.token}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else moved it first: try again
  }
  if (statSync(aside).ino !== inode) {
    // between our look and our rename the file was replaced by a live lock: put it back and give way
    try {
      linkSync(aside, file);
    } catch {
      // a third process locked meanwhile; the lock we moved belongs to a process that will find it gone at release
    }
    rmSync(aside, { force: true });
    throw new AppError('DATABASE_LOCKED', 'the embedded database was locked by another process just now');
  }
  rmSync(aside, { force: true });
}
