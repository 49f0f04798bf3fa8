// A submission is sent once: what the CLI does when the platform refuses it, and when its answer is lost (the
// platform's side is scripted; over real HTTP with a proxy that loses the answer: cli-reattach.test.ts).
import { describe, expect, it } from 'vitest';
import { EXIT } from './follow-job.ts';
import { PlatformError } from './operator-client.ts';
import { parseSubmitArgs, runSubmit } from './submit-command.ts';

const LICENCE = 'lic-1';
const ARGS = parseSubmitArgs(['m.js', '--dataset', 'population:sex', '--license', LICENCE, '--retry-for', '1']);

function platform(onPost: () => unknown, jobs: Record<string, unknown>[] = []) {
  const posts: unknown[] = [];
  return {
    posts,
    client: {
      serverClockOffsetMs: 0,
      async request<T>(method: string, path: string, body?: unknown): Promise<T> {
        if (method === 'POST') {
          posts.push(body);
          return onPost() as T;
        }
        if (path.startsWith('/operator/jobs?')) return { items: jobs } as T;
        throw new Error(`unexpected ${method} ${path}`);
      },
    },
  };
}

async function submit(p: ReturnType<typeof platform>) {
  const err: string[] = [];
  const code = await runSubmit(ARGS, {
    client: p.client,
    readFile: async () => 'export function map(c) { return { keys: { sex: c.sex } }; }',
    writeFile: async () => {},
    stdout: { write: () => {} },
    stderr: { write: (t: string) => err.push(t) },
    retry: { baseMs: 1, capMs: 2 },
  }).catch((e: unknown) => e);
  return { code, stderr: err.join('') };
}

const job = (id: string, createdAt: Date, fields = ['sex']) => ({ id, status: 'queued', licenseId: LICENCE, datasets: [{ code: 'population', fields }], dryRun: false, createdAt: createdAt.toISOString() });

describe('runSubmit when the answer does not arrive', () => {
  it('a quota refusal (429) is the platform answering: thrown as is, not taken for a lost answer', async () => {
    const p = platform(() => {
      throw new PlatformError(429, 'QUOTA_EXCEEDED', 'the licence allows 5 jobs a day', undefined);
    });
    const r = await submit(p);
    expect(r.code).toBeInstanceOf(PlatformError);
    expect(p.posts).toHaveLength(1);
    expect(r.stderr).not.toMatch(/lost/);
  });

  it('a 504 from a proxy: sent once, and only the job created during the submission is named', async () => {
    const now = Date.now();
    const p = platform(
      () => {
        throw new PlatformError(504, 'HTTP_ERROR', 'gateway timeout', undefined);
      },
      [job('j-now', new Date(now + 50)), job('j-earlier', new Date(now - 60_000)), job('j-other-fields', new Date(now + 50), ['sex', 'birth_date'])],
    );
    const r = await submit(p);
    expect(r.code).toBe(EXIT.pending);
    expect(p.posts).toHaveLength(1);
    expect(r.stderr).toMatch(/the answer to the submission was lost \(HTTP 504\); it is not sent again/);
    expect([...r.stderr.matchAll(/queued it as job (\S+)/g)].map((m) => m[1])).toEqual(['j-now']);
  });

  it('a reset connection and no matching job: says it was probably not queued', async () => {
    const p = platform(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    });
    const r = await submit(p);
    expect(r.code).toBe(EXIT.pending);
    expect(p.posts).toHaveLength(1);
    expect(r.stderr).toMatch(/no job of yours matches it: it was probably not queued \(check with operator -- jobs before submitting again\)/);
  });
});
