// What a federated job is: the same model on every node, reduced to counts (and sums) over a FIXED group domain, so
// every node's partial is a vector of the same length and layout and the vectors can be added under secure aggregation.
import { z } from 'zod';

const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/);

export const federatedJobSchema = z
  .object({
    dataset: identifier,
    fields: z.array(identifier).min(1).max(50),
    /** the operator's model (the same `map` as a local job); it emits the key column named by `key` */
    code: z.string().min(1).max(100_000),
    params: z.record(z.string(), z.unknown()).default({}),
    /** the emitted key the counts are grouped by */
    key: identifier,
    /** the group labels, declared up front: the vector layout. Rows with another label are left out (and counted). */
    domain: z.array(z.string().min(1).max(100)).min(1).max(1000),
    /** optionally, a per-group sum of an emitted measure, clamped into bounds */
    sum: z
      .object({ measure: identifier, bounds: z.object({ lo: z.number().finite(), hi: z.number().finite() }).refine((b) => b.lo < b.hi, 'lo must be below hi') })
      .strict()
      .optional(),
    /** fixed-point scale of the sums (values × scale, rounded); counts are integers already */
    scale: z.number().positive().max(1e6).default(1),
  })
  .strict();
export type FederatedJob = z.infer<typeof federatedJobSchema>;

/** The aggregation parameters of one round, fixed by the coordinator and sent to every party. */
export const roundParamsSchema = z
  .object({
    roundId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    /** node ids in party order: party number i+1 is parties[i] */
    parties: z.array(z.string().min(1).max(64)).min(2).max(100),
    threshold: z.number().int().min(2),
    /** aggregation modulus 2^bits */
    bits: z.number().int().min(8).max(32).default(32),
    job: federatedJobSchema,
  })
  .strict()
  .refine((p) => new Set(p.parties).size === p.parties.length, 'parties must be distinct')
  .refine((p) => p.threshold <= p.parties.length, 'threshold cannot exceed the number of parties');
export type RoundParams = z.infer<typeof roundParamsSchema>;

/** Counts per label, then (with a sum) sums per label. */
export function vectorLength(job: FederatedJob): number {
  return job.domain.length * (job.sum ? 2 : 1);
}

/** The party number of a node in a round (1-based), or undefined. */
export function partyNumber(params: Pick<RoundParams, 'parties'>, nodeId: string): number | undefined {
  const i = params.parties.indexOf(nodeId);
  return i < 0 ? undefined : i + 1;
}
