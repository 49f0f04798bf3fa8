import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir, processStartTime } from './data-dir-lock.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const linux = process.platform === 'linux';
const here = () => ({
  boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
  pidNamespace: readlinkSync('/proc/self/ns/pid'),
  host: hostname(),
  token: 'x',
});
const lockAs = (d: string, owner: Record<string, unknown>) => writeFileSync(join(d, 'platform.lock'), JSON.stringify(owner));
const lockText = (d: string) => readFileSync(join(d, 'platform.lock'), 'utf8');

describe('lockDataDir', () => {
  it('refuses a directory held by a live process, naming it (a lock of an earlier version: a bare PID)', () => {
    const d = dir();
    writeFileSync(join(d, 'platform.lock'), String(process.ppid));
    expect(() => lockDataDir(d)).toThrow(/in use by process/);
  });

  it('takes over a lock left by a dead process and releases it', () => {
    const d = dir();
    writeFileSync(join(d, 'platform.lock'), '999999999');
    const release = lockDataDir(d);
    expect(JSON.parse(lockText(d))).toMatchObject({ pid: process.pid });
    release();
    expect(existsSync(join(d, 'platform.lock'))).toBe(false);
  });

  it('refuses a second lock by the same process', () => {
    const d = dir();
    const release = lockDataDir(d);
    expect(() => lockDataDir(d)).toThrow(/in use by process/);
    release();
  });

  it.runIf(linux)('refuses a live owner: same PID, same start time', () => {
    const d = dir();
    lockAs(d, { pid: process.ppid, started: processStartTime(process.ppid), ...here() });
    expect(() => lockDataDir(d)).toThrow(/in use by process/);
  });

  it.runIf(linux)('is not fooled by a reused PID: a running process started at another time is not the owner', () => {
    const d = dir();
    lockAs(d, { pid: process.ppid, started: '1', ...here() });
    const release = lockDataDir(d);
    expect(JSON.parse(lockText(d))).toMatchObject({ pid: process.pid, started: processStartTime(process.pid) });
    release();
  });

  it.runIf(linux)('takes over a lock from before the last reboot, whatever its PID', () => {
    const d = dir();
    lockAs(d, { pid: process.ppid, started: processStartTime(process.ppid), ...here(), boot: '00000000-0000-0000-0000-000000000000' });
    lockDataDir(d)();
  });

  it.runIf(linux)('never takes a lock from another PID namespace or host (its owner cannot be checked from here)', () => {
    const d = dir();
    // PID 999999999 does not exist here, but may well exist in the other container
    lockAs(d, { pid: 999999999, started: '5', ...here(), pidNamespace: 'pid:[1]' });
    expect(() => lockDataDir(d)).toThrow(/another container or PID namespace; if that process is stopped, remove/);
    lockAs(d, { pid: 999999999, started: '5', ...here(), host: 'another-host' });
    expect(() => lockDataDir(d)).toThrow(/on another-host/);
  });

  it('releases only its own lock', () => {
    const d = dir();
    const release = lockDataDir(d);
    writeFileSync(join(d, 'platform.lock'), JSON.stringify({ pid: 1, host: 'someone-else' }));
    release();
    expect(existsSync(join(d, 'platform.lock'))).toBe(true);
  });
});
