// `operator psi --license <id> --dataset credit_dishonest:uscc --input ids.txt`: matches printed one per line on
// stdout, a summary on stderr. The identifiers stay on this machine; only blinded points are sent.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readCredentials } from './credentials-file.ts';
import { OperatorClient, PlatformError } from './operator-client.ts';
import { parseIdList, psiMatch } from './psi.ts';

export const PSI_USAGE = `psi --license <id> --dataset <code>:<field> --input <file|->
                     encrypted list matching (ECDH-PSI): prints those of your identifiers (one per line in the
                     file) that are in the licensed government list; the platform sees only blinded points`;

export interface PsiArgs {
  credentials: string | undefined;
  license: string;
  dataset: string;
  field: string;
  input: string;
}

/** Throws Error with a usage message for bad arguments (nothing is read or sent). */
export function parsePsiArgs(argv: string[]): PsiArgs {
  const { values } = parseArgs({
    args: argv,
    options: { credentials: { type: 'string', short: 'c' }, license: { type: 'string' }, dataset: { type: 'string' }, input: { type: 'string' } },
    strict: true,
  });
  if (!values.license || !values.dataset || !values.input) throw new Error('psi needs --license, --dataset <code>:<field> and --input');
  const [dataset, field, ...rest] = values.dataset.split(':');
  if (!dataset || !field || rest.length) throw new Error('--dataset must be <code>:<field>, e.g. credit_dishonest:uscc');
  return { credentials: values.credentials, license: values.license, dataset, field, input: values.input };
}

export async function runPsiCommand(
  args: PsiArgs,
  io: { client: OperatorClient; readInput(path: string): Promise<string>; stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } },
): Promise<number> {
  const ids = parseIdList(await io.readInput(args.input));
  const result = await psiMatch(io.client, { licenseId: args.license, dataset: args.dataset, field: args.field, ids });
  for (const id of result.matches) io.stdout.write(`${id}\n`);
  io.stderr.write(`${result.matches.length} of ${result.listSize} identifiers matched (list version ${result.dataVersion}, ${result.serverSetSize} entries; run ${result.runId})\n`);
  return 0;
}

/** The whole `psi` command for sdk/cli.ts: parses, reads credentials and input, runs; returns the exit code. */
export async function psiCli(argv: string[], defaultCredentials: string): Promise<number> {
  let args: PsiArgs;
  try {
    args = parsePsiArgs(argv);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  try {
    const credentials = await readCredentials(args.credentials ?? defaultCredentials);
    const readInput = (path: string) => (path === '-' ? new Response(process.stdin as unknown as ReadableStream).text() : readFile(path, 'utf8'));
    return await runPsiCommand(args, { client: new OperatorClient(credentials), readInput, stdout: process.stdout, stderr: process.stderr });
  } catch (err) {
    const message = err instanceof PlatformError ? `${err.status} ${err.code}: ${err.message}` : (err as Error).message;
    process.stderr.write(`error: ${message}\n`);
    return 1;
  }
}
