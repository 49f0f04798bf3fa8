import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('lockDataDir', () => {
  it('refuses a directory held by a live process, naming it', () => {
    const d = dir();
    writeFileSync(join(d, 'platform.lock'), String(process.ppid));
    expect(() => lockDataDir(d)).toThrow(/in use by process/);
  });
  it('takes over a lock left by a dead process and releases it', () => {
    const d = dir();
    writeFileSync(join(d, 'platform.lock'), '999999999');
    const release = lockDataDir(d);
    expect(readFileSync(join(d, 'platform.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(() => readFileSync(join(d, 'platform.lock'))).toThrow();
  });
});
