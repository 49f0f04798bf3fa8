// Encrypted list matching, client side: blind the operator's identifiers with a fresh key, send them shuffled, and
// intersect the platform's answer locally. The identifiers never leave this process; see docs/psi.md.
import { PsiClientRun, psi } from '../crypto/index.ts';
import type { OperatorClient } from './operator-client.ts';

export interface PsiMatchOptions {
  licenseId: string;
  /** e.g. credit_dishonest */
  dataset: string;
  /** e.g. uscc */
  field: string;
  /** the operator's identifiers (duplicates and surrounding white space are folded) */
  ids: Iterable<string>;
}

export interface PsiMatchResult {
  /** the given identifiers that are in the government list, in input order */
  matches: string[];
  runId: string;
  dataVersion: number;
  /** distinct identifiers sent */
  listSize: number;
  /** distinct identifiers in the government list (all the platform says about it) */
  serverSetSize: number;
}

interface Answer {
  runId: string;
  dataVersion: number;
  hashVersion: string;
  listSize: number;
  serverSetSize: number;
  blinded: string[];
  serverSet: string[];
}

/**
 * One PSI run against POST /operator/psi. Throws PlatformError for the platform's refusals (403 licence without
 * `psi`, 422 list too small or bad points, 429 quota), Error when the platform hashes with another version.
 */
export async function psiMatch(client: OperatorClient, options: PsiMatchOptions): Promise<PsiMatchResult> {
  const run = new PsiClientRun(options.ids, psi.psiContext(options.dataset, options.field));
  const answer = await client.request<Answer>('POST', '/operator/psi', { licenseId: options.licenseId, dataset: options.dataset, field: options.field, blinded: run.request.blinded });
  if (answer.hashVersion !== psi.PSI_HASH_VERSION) throw new Error(`the platform hashes with ${answer.hashVersion}; this SDK with ${psi.PSI_HASH_VERSION}`);
  const matches = run.finish(answer);
  return { matches, runId: answer.runId, dataVersion: answer.dataVersion, listSize: run.size, serverSetSize: answer.serverSetSize };
}

/** Identifiers from a text file's content: one per line, blank lines and `#` comments skipped. */
export function parseIdList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
