// `load`: loads a CSV or NDJSON file into a registered dataset as a new version, all or nothing.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isAppError } from '../../errors/index.ts';
import { getDataset, LOAD_FORMATS, loadDataset, migrate, openDatabase, registerDataset, type LoadFormat } from '../../store/index.ts';
import { DATASETS, isDatasetCode } from '../datasets/index.ts';
import type { Command, CommandIo } from './io.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: data load --dataset <code> --file <path|-> --format csv|ndjson

Loads rows into a registered dataset as a new data version: every row is checked against the registered field
types, bad rows are listed by line number, and nothing is loaded unless every row is good. The five base datasets
are registered on first load. Uses DATABASE_URL when set, else the embedded database in DATA_DIR (default ./.data;
stop the server first: the embedded database admits one process at a time).

Options:
  -d, --dataset <code>   the dataset's code
  -i, --file <path>      the file to load, or - for standard input
  -f, --format <fmt>     csv (with a header line) or ndjson
  -h, --help             show this help
`;

const OPTIONS = {
  dataset: { type: 'string', short: 'd' },
  file: { type: 'string', short: 'i' },
  format: { type: 'string', short: 'f' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function parse(argv: readonly string[]) {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) return undefined;
  if (!values.dataset) throw new UsageError('--dataset is required');
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(values.dataset)) throw new UsageError('--dataset must be a snake_case dataset code');
  if (!values.file) throw new UsageError('--file is required (a path, or - for standard input)');
  if (!values.format || !(LOAD_FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format must be one of ${LOAD_FORMATS.join(', ')}`);
  }
  if (values.file !== '-') await access(values.file).catch(() => Promise.reject(new UsageError(`cannot read ${values.file}`)));
  return { dataset: values.dataset, file: values.file, format: values.format as LoadFormat };
}

export const loadCommand: Command = {
  summary: 'load      --dataset <code> --file <path|-> --format csv|ndjson   load a file as a new data version',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const args = await parse(argv);
    if (!args) {
      io.stdout.write(USAGE);
      return 0;
    }
    const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? './.data' }).catch((err: unknown) => {
      throw isAppError(err) ? new UsageError(err.message) : err;
    });
    try {
      await migrate(database);
      const registered = await getDataset(database.db, args.dataset).catch(() => undefined);
      if (!registered) {
        if (!isDatasetCode(args.dataset)) throw new UsageError(`no dataset "${args.dataset}" is registered`);
        await registerDataset(database.db, DATASETS[args.dataset].definition);
      }
      const tty = io.stderr.isTTY === true;
      const result = await loadDataset(database, {
        code: args.dataset,
        format: args.format,
        body: args.file === '-' ? process.stdin : createReadStream(args.file),
        loadedBy: 'system:data-cli',
        onProgress: (rows, bytes) => {
          if (tty) io.stderr.write(`\r${args.dataset}: ${rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB checked`);
        },
      });
      if (tty) io.stderr.write('\n');
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    } catch (err) {
      if (isAppError(err) && err.code === 'LOAD_REJECTED') {
        const errors = (err.details?.errors ?? []) as { line: number; field?: string; reason: string }[];
        io.stderr.write(`error: ${err.message} (${String(err.details?.errorCount ?? errors.length)} problems)\n`);
        for (const e of errors) io.stderr.write(`  line ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.reason}\n`);
        return 1;
      }
      if (isAppError(err)) throw new UsageError(err.message);
      throw err;
    } finally {
      await database.close();
    }
  },
};
