// The repository explains itself: every relative link in the README and docs/ leads to a file of this repository, and
// nothing (docs, tests, CI) reaches outside it for what a clone needs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './testing/processes.ts';

const markdown = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('the repository explains itself', () => {
  it('links only to files that exist in it', () => {
    const broken: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target!)) continue;
        const path = resolve(dirname(join(ROOT, file)), target!.split('#')[0]!);
        if (!path.startsWith(ROOT) || !existsSync(path)) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('depends on nothing beside the clone (no ../shared in any tracked file)', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f && !f.endsWith('.gz') && !f.endsWith('package-lock.json'));
    const outside = tracked.filter((f) => f !== relative(ROOT, fileURLToPath(import.meta.url)) && /\.\.\/shared\/|\/work\/shared/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(outside).toEqual([]);
  });
});
