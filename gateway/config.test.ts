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
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO: '1' }).demo).toBe(true);
  });

  it('names every bad variable on its own line, never echoing a value', () => {
    const list = problems({ PORT: 'eighty', DATABASE_URL: 'mysql://secret@h/db', BOOTSTRAP_SECURITY_PASSWORD: 'short', DEMO: 'maybe' });
    expect(list).toHaveLength(4);
    expect(list.map((l) => l.split(':')[0]).sort()).toEqual(['BOOTSTRAP_SECURITY_PASSWORD', 'DATABASE_URL', 'DEMO', 'PORT']);
    expect(list.join('\n')).not.toMatch(/secret|short|eighty/);
  });
});
