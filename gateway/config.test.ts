import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded database on port 8080 with demo data', () => {
    expect(loadConfig({})).toMatchObject({ port: 8080, dataDir: './.data', databaseUrl: undefined, demo: true, demoRows: 100_000, publicUrl: 'http://localhost:8080' });
  });

  it('turns demo data off by default on a real server, unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', WORKERS: '0' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO: '1', PSEUDONYM_SECRET: '00'.repeat(32) }).demo).toBe(true);
  });

  it('names every bad variable on its own line, never echoing a value', () => {
    const list = problems({ PORT: 'eighty', DATABASE_URL: 'mysql://secret@h/db', BOOTSTRAP_SECURITY_PASSWORD: 'short', DEMO: 'maybe' });
    expect(list).toHaveLength(4);
    expect(list.map((l) => l.split(':')[0]).sort()).toEqual(['BOOTSTRAP_SECURITY_PASSWORD', 'DATABASE_URL', 'DEMO', 'PORT']);
    expect(list.join('\n')).not.toMatch(/secret|short|eighty/);
  });

  it('requires PSEUDONYM_SECRET with DATABASE_URL when something on this server pseudonymizes, in one line that says how', () => {
    const [line, ...rest] = problems({ DATABASE_URL: 'postgres://u@h/db', DEMO: '1' });
    expect(rest).toEqual([]);
    expect(line).toMatch(/^PSEUDONYM_SECRET: required with DATABASE_URL .*openssl rand -hex 32/);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', WORKERS: '0' }).pseudonymSecretHex).toBeUndefined();
    // the job workers npm start runs beside the gateway pseudonymize too
    expect(problems({ DATABASE_URL: 'postgres://u@h/db' })).toEqual([expect.stringMatching(/^PSEUDONYM_SECRET: required with DATABASE_URL when npm start runs job workers .*WORKERS=0/)]);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO: '1', PSEUDONYM_SECRET: 'ab'.repeat(32) }).pseudonymSecretHex).toBe('ab'.repeat(32));
    expect(problems({ PSEUDONYM_SECRET: 'abc' })).toEqual([expect.stringMatching(/^PSEUDONYM_SECRET: must be at least 64 hex digits/)]);
    expect(problems({ PSEUDONYM_SECRET: 'zz'.repeat(32) }).join()).not.toContain('zz');
  });

  it('runs one job worker process by default, WORKERS of them when set, none at 0', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ WORKERS: '0' }).workers).toBe(0);
    expect(problems({ WORKERS: '-1' })).toEqual([expect.stringMatching(/^WORKERS: /)]);
    expect(problems({ WORKERS: 'many' })).toEqual([expect.stringMatching(/^WORKERS: /)]);
  });

  it('reads TRUST_PROXY as no proxy, a number of proxies, or the proxies’ addresses', () => {
    expect(loadConfig({}).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7, ::1' }).trustProxy).toMatchObject({ described: '10.0.0.0/8, 192.0.2.7, ::1' });
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.1/8/2', 'proxy.example', '99']) {
      expect(problems({ TRUST_PROXY: bad }), bad).toEqual([expect.stringMatching(/^TRUST_PROXY: /)]);
    }
  });

  it('accepts only an http(s) PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://data.example.gov.cn/' }).publicUrl).toBe('https://data.example.gov.cn');
    expect(problems({ PUBLIC_URL: 'javascript:alert(1)' })).toEqual([expect.stringMatching(/^PUBLIC_URL: /)]);
  });
});
