// `generate`: streams a synthetic dataset to stdout as NDJSON or CSV.

import { parseArgs } from 'node:util';
import { DATASETS, datasetCodes, isDatasetCode } from '../datasets/index.ts';
import { MAX_ROWS } from '../datasets/dataset.ts';
import { normalizeSeed } from '../random.ts';
import { isOutputFormat, OUTPUT_FORMATS, writeRows } from '../serialize.ts';
import type { Command, CommandIo } from './io.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: data generate --dataset <code> --rows <n> [--seed <s>] [--format ndjson|csv]

Streams <n> rows of a synthetic dataset to stdout. The same seed always gives the same rows.

Options:
  -d, --dataset <code>   one of: ${datasetCodes.join(', ')}
  -n, --rows <n>         number of rows, 1 to ${MAX_ROWS}
  -s, --seed <s>         seed text (default 0), at most 128 characters, no control characters
  -f, --format <fmt>     ${OUTPUT_FORMATS.join(' or ')} (default ndjson); csv is RFC 4180 with a header line
  -h, --help             show this help
`;

const OPTIONS = {
  dataset: { type: 'string', short: 'd' },
  rows: { type: 'string', short: 'n' },
  seed: { type: 'string', short: 's', default: '0' },
  format: { type: 'string', short: 'f', default: 'ndjson' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** parseArgs explains itself at length; the CLI promises a single short line. */
function parseError(err: unknown): UsageError {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${quoted ?? message}`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(`unexpected argument ${quoted ?? message}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new UsageError(message.split('\n')[0] ?? message);
  return new UsageError(message.split('\n')[0] ?? message);
}

function parseRows(text: string | undefined): number {
  if (text === undefined) throw new UsageError('--rows is required');
  // Digits only: rejects 1e3, 0x10, " 5", 1.0 and negatives that Number() would accept or round.
  const rows = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > MAX_ROWS) {
    throw new UsageError(`--rows must be an integer from 1 to ${MAX_ROWS}, got ${JSON.stringify(text)}`);
  }
  return rows;
}

/** Progress on stderr, only for a terminal and at most twice a second, so pipes and logs stay clean. */
function progressReporter(io: CommandIo, dataset: string, total: number): { update(n: number): void; done(n: number): void } {
  if (!io.stderr.isTTY) return { update() {}, done() {} };
  const started = performance.now();
  let last = 0;
  const line = (n: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(n / seconds) : 0;
    return `\r${dataset}: ${n.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows (${Math.floor((n / total) * 100)}%), ${rate.toLocaleString('en-US')} rows/s`;
  };
  return {
    update(n) {
      const now = performance.now();
      if (now - last < 500) return;
      last = now;
      io.stderr.write(line(n));
    },
    done(n) {
      if (last > 0) io.stderr.write(`${line(n)}\n`);
    },
  };
}

export const generateCommand: Command = {
  summary: 'generate   stream a synthetic dataset to stdout (NDJSON or CSV)',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    let values: { dataset?: string; rows?: string; seed: string; format: string; help: boolean };
    try {
      ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
    } catch (err) {
      throw parseError(err);
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (values.dataset === undefined) throw new UsageError('--dataset is required');
    if (!isDatasetCode(values.dataset)) {
      throw new UsageError(`unknown dataset ${JSON.stringify(values.dataset)} (expected one of: ${datasetCodes.join(', ')})`);
    }
    const rows = parseRows(values.rows);
    let seed: string;
    try {
      seed = normalizeSeed(values.seed);
    } catch (err) {
      throw new UsageError(`bad seed: ${(err as Error).message}`);
    }
    if (!isOutputFormat(values.format)) {
      throw new UsageError(`unknown format ${JSON.stringify(values.format)} (expected ${OUTPUT_FORMATS.join(' or ')})`);
    }

    const dataset = DATASETS[values.dataset];
    const progress = progressReporter(io, values.dataset, rows);
    try {
      const written = await writeRows(dataset.generate({ rows, seed }), io.stdout, {
        format: values.format,
        definition: dataset.definition,
        onProgress: progress.update,
      });
      progress.done(written);
    } catch (err) {
      // The reader went away (e.g. `| head`): what it wanted was delivered, so stop quietly.
      if ((err as { code?: string }).code === 'EPIPE') return 0;
      throw err;
    }
    return 0;
  },
};
