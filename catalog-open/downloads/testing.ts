// Fixtures for downloads outside the gateway (the download tests and the open-data bench): a population policy that
// masks every field for open downloads, and a public caller decided by the real Cedar policies.
import { readFile } from 'node:fs/promises';
import { createAuthorizer, parsePolicySet, publicEntity, type PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';

/**
 * The population policy with an open-download rule per field: the sandbox's mask where it has one, raw otherwise
 * (justified by `why`), so a download exercises every mask (names, mobiles, addresses, dates, pseudonyms, groups).
 */
export async function everyMaskDownloadPolicies(why: string): Promise<PolicySet> {
  const doc = JSON.parse(await readFile(new URL('../../policies/datasets/population.json', import.meta.url), 'utf8')) as {
    fields: Record<string, { sandbox?: Record<string, unknown>; open_download?: Record<string, unknown> }>;
  };
  for (const f of Object.values(doc.fields)) f.open_download = { ...(f.sandbox ?? { mask: 'raw' }), justification: why };
  return parsePolicySet([{ source: 'population.json', content: doc }]);
}

/** A public caller decided by the real Cedar policies, without audit (public downloads are counted, not audited). */
export function publicDownloadContext(database: Database): VerbContext {
  const authorizer = createAuthorizer();
  const ask = (q: Parameters<VerbContext['authorize']>[0]) => authorizer.authorize({ ...q, principal: publicEntity() } as never).decision === 'allow';
  return {
    actor: { type: 'public' },
    database,
    requestId: null,
    ip: null,
    async authorize(q) {
      if (!ask(q)) throw new Error('the policies refuse the download');
    },
    async authorizeEach(questions) {
      return questions.map(ask);
    },
  };
}
