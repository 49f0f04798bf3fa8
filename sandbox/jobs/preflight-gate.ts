// The real read overlaps the preflight: rows stream out of the database and are masked and sharded while the model
// runs on synthetic rows, but no real row reaches the model until the preflight has passed. The read's batches go
// through this gate: after the last one (or at the first batch after a failed verdict) it waits for the verdict, and
// a failed preflight ends the read with PreflightFailed before any real run is planned (runSharded plans its runs
// only once every batch is in). The rows read meanwhile are dropped with the shard store; what the operator learns
// is the preflight's own verdict, on synthetic rows, exactly as when the two ran one after the other.
import type { ConfinedInput } from '../confinement/index.ts';
import type { PreflightResult } from './preflight.ts';

/** Thrown through the read when the preflight failed: the caller reports the preflight's verdict instead. */
export class PreflightFailed extends Error {
  constructor(readonly verdict: Extract<PreflightResult, { ok: false }>) {
    super('the preflight failed');
    this.name = 'PreflightFailed';
  }
}

/** `input` whose batches end only after `verdict` passed; a failed verdict stops the read at the next batch. */
export function afterPreflight(input: ConfinedInput, verdict: Promise<PreflightResult>): ConfinedInput {
  let failed: Extract<PreflightResult, { ok: false }> | null = null;
  verdict.then((v) => {
    if (!v.ok) failed = v;
  }, () => {});
  const batches = input.batches;
  return {
    ...input,
    dictionary: (f) => input.dictionary(f),
    boolMissing: (f) => input.boolMissing(f),
    batches: (async function* () {
      for await (const batch of batches) {
        if (failed) throw new PreflightFailed(failed);
        yield batch;
      }
      const v = await verdict;
      if (!v.ok) throw new PreflightFailed(v);
    })(),
  };
}
