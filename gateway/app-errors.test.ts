import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

describe('an unexpected error', () => {
  it('answers a bare 500 problem and logs the frames, never the message (it may quote data)', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const app = createApp({ config: loadConfig({}), logger: pino(sink), services: () => undefined });
    app.get('/boom', () => {
      throw new Error('Failed query: select ... params: 11010519491231002X');
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain('11010519491231002X');
    await new Promise((r) => setImmediate(r));
    const logged = lines.join('');
    expect(logged).toContain('unhandled error');
    expect(logged).toContain('app-errors.test.ts');
    expect(logged).not.toContain('11010519491231002X');
  });
});
