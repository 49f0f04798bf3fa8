// Operator CLI: `npm run -s operator -- <command>`. Holds the private key locally; the platform sees only assertions.
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { OperatorClient, PlatformError } from './operator-client.ts';
import { readCredentials, writeCredentials } from './credentials-file.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { parseSubmitArgs, problemLine, runSubmit, SUBMIT_USAGE, UsageError } from './submit-command.ts';
import { psiCli, PSI_USAGE } from './psi-command.ts';
import { JOB_USAGE, parseJobCommandArgs, runJobCommand } from './job-commands.ts';
import { EXIT } from './follow-job.ts';
import { budgetText, type BudgetItem } from './budget-view.ts';
import { textTable } from './text-table.ts';

const USAGE = `Usage: operator <command> [--credentials <file>]

Commands:
  keygen --out <file> --operator <op_id> --url <base url>
                     create an ES256 key pair; writes the private credentials file (mode 0600) and prints the
                     public JWK for security staff to register
  token              print a fresh access token (for curl: -H "authorization: Bearer $(...)")
  datasets           the datasets and fields your licences grant
  budget             the privacy budget as a gauge: ε spent per licence and dataset, jobs left, the dataset's year
  get <path>         GET any operator API path and print the JSON
  ${SUBMIT_USAGE}
  ${JOB_USAGE}
  ${PSI_USAGE}

--credentials defaults to $OPERATOR_CREDENTIALS, else ./.data/demo-operator.json (written by npm start in DEMO).
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

const credentialsPath = (given: string | undefined) => given ?? process.env.OPERATOR_CREDENTIALS ?? './.data/demo-operator.json';

/** `submit` has options of its own: its arguments are checked before anything is read or sent. */
async function submit(argv: string[]): Promise<void> {
  let args;
  try {
    args = parseSubmitArgs(argv);
  } catch (err) {
    fail((err as Error).message);
  }
  const credentials = await readCredentials(credentialsPath(args.credentials)).catch((err: Error) => fail(err.message));
  try {
    const code = await runSubmit(args, {
      client: new OperatorClient(credentials),
      readFile: (path) => readFile(path, 'utf8'),
      writeFile: (path, content) => writeFile(path, content),
      stdout: process.stdout,
      stderr: process.stderr,
    });
    process.exitCode = code;
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    if (err instanceof PlatformError) fail(problemLine(err), 1);
    if ((err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') fail(`cannot reach ${credentials.baseUrl}`, 1);
    throw err;
  }
}

/** `wait`, `result` and `jobs`: re-attach to jobs submitted before, from this or any other terminal. */
async function jobCommand(argv: string[]): Promise<void> {
  let args;
  try {
    args = parseJobCommandArgs(argv);
  } catch (err) {
    fail((err as Error).message);
  }
  const credentials = await readCredentials(credentialsPath(args.credentials)).catch((err: Error) => fail(err.message));
  try {
    process.exitCode = await runJobCommand(args, {
      client: new OperatorClient(credentials),
      writeFile: (path, content) => writeFile(path, content),
      stdout: process.stdout,
      stderr: process.stderr,
    });
  } catch (err) {
    if (err instanceof UsageError) fail(err.message, EXIT.usage);
    if (err instanceof PlatformError) fail(problemLine(err), EXIT.notReleased);
    throw err;
  }
}

async function main() {
  if (process.argv[2] === 'submit') return submit(process.argv.slice(3));
  if (['wait', 'result', 'jobs'].includes(process.argv[2] ?? '')) return jobCommand(process.argv.slice(2));
  if (process.argv[2] === 'psi') return void (process.exitCode = await psiCli(process.argv.slice(3), credentialsPath(undefined)));
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        credentials: { type: 'string', short: 'c' },
        out: { type: 'string' },
        operator: { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'keygen') {
    if (!values.out || !values.operator || !values.url) fail('keygen needs --out, --operator and --url');
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `key-${randomUUID().slice(0, 8)}`;
    await writeCredentials(values.out, { baseUrl: values.url, operatorId: values.operator, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } as never });
    process.stdout.write(`${JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' })}\n`);
    return;
  }
  const file = credentialsPath(values.credentials);
  const credentials = await readCredentials(file).catch((err: Error) => fail(err.message));
  const client = new OperatorClient(credentials);
  try {
    switch (command) {
      case 'token':
        process.stdout.write(`${await client.accessToken()}\n`);
        break;
      case 'datasets': {
        const { items } = await client.request<{ items: { licenseId: string; code: string; name: string; operations: string[]; fields: { name: string; type: string; keeps?: string }[] }[] }>('GET', '/operator/datasets');
        for (const d of items) {
          process.stdout.write(`${d.code}  ${d.name}  [${d.operations.join(', ')}]  licence ${d.licenseId}\n`);
          const table = textTable([['field', 'type', 'what the masked value keeps'], ...d.fields.map((f) => [f.name, f.type, f.keeps ?? ''])]);
          process.stdout.write(`${table.replace(/^/gm, '    ')}\n`);
        }
        break;
      }
      case 'budget': {
        const { items } = await client.request<{ items: BudgetItem[] }>('GET', '/operator/budget');
        process.stdout.write(budgetText(items));
        break;
      }
      case 'get': {
        const path = rest[0];
        if (!path?.startsWith('/operator/')) fail('get needs an /operator/... path');
        process.stdout.write(`${JSON.stringify(await client.request('GET', path), null, 2)}\n`);
        break;
      }
      default:
        fail(`unknown command "${command}" (try --help)`);
    }
  } catch (err) {
    if (err instanceof PlatformError) fail(`${err.status} ${err.code}: ${err.message}`, 1);
    if ((err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') fail(`cannot reach ${credentials.baseUrl}`, 1);
    throw err;
  }
}

// a reader such as `head` that stops early is not a failure
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main().catch((err: unknown) => fail((err as Error).message, 1));
