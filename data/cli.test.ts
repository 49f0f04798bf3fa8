import { spawn } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isValidResidentId } from './checksums/resident-id.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as users do (through tsx), optionally piping stdout into a shell command. */
function cli(args: string[], pipeTo?: string): Promise<Result> {
  const command = [process.execPath, '--import', 'tsx', 'data/cli.ts', ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    // A shell pipeline reports the CLI's own exit status through PIPESTATUS.
    const script = pipeTo ? `${command} | ${pipeTo}; exit \${PIPESTATUS[0]}` : command;
    const child = spawn('bash', ['-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('data CLI', () => {
  it('rejects bad input with exit code 2 and a single error line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['generate', '--dataset', 'nope', '--rows', '5'], /unknown dataset "nope"/],
      [['generate', '--dataset', 'population', '--rows', '0'], /--rows/],
      [['generate', '--dataset', 'population', '--rows', '1e3'], /--rows/],
      [['generate', '--dataset', 'population', '--rows', '100000001'], /--rows/],
      [['generate', '--dataset', 'population', '--rows', '5', '--seed', ''], /bad seed/],
      [['generate', '--dataset', 'population', '--rows', '5', '--format', 'xml'], /unknown format "xml"/],
      [['generate', '--dataset', 'population', '--rows', '5', '--colour'], /unknown option --colour/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      const [, pattern] = cases[i] as [string[], RegExp];
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
      expect(r.stderr).toMatch(pattern);
    });
  }, 60_000);

  it('streams CSV to stdout, stops quietly when the reader goes away, and prints help', async () => {
    const [csv, piped, help] = await Promise.all([
      cli(['generate', '--dataset', 'population', '--rows', '50', '--seed', 's1', '--format', 'csv']),
      cli(['generate', '--dataset', 'population', '--rows', '5000000', '--seed', 's1'], 'head -n 3'),
      cli(['--help']),
    ]);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe(''); // no progress output when stderr is not a terminal
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => isValidResidentId(r.person_id ?? ''))).toBe(true);

    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    const lines = piped.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect((JSON.parse(lines[0] ?? '') as { person_id: string }).person_id).toBe(rows[0]?.person_id);

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/generate/);
  }, 60_000);
});
