// What a job emitted, as the reducers take it, and which outputs it asked for. Shared by real runs and dry runs.
import type { MapOutput } from '../execution/index.ts';
import type { Emitted, KeyColumn, TableSpec } from '../reduce/index.ts';
import { isModelSpec, type ModelOutputSpec, type OutputSpec } from './schemas.ts';

/**
 * MapOutput → what the reducer takes; integer keys become their decimal labels. `freeForm` counts features and a
 * label no declared model will consume (a release without DP sends such output to review; under DP it is ignored).
 */
export function toEmitted(output: MapOutput): { emitted: Emitted; freeForm: number } {
  const keys: Record<string, KeyColumn> = {};
  for (const [name, key] of output.keys) {
    if (key.type === 'dict') keys[name] = { codes: key.codes, dictionary: key.dictionary };
    else {
      const dictionary: string[] = [];
      const index = new Map<number, number>();
      const codes = Int32Array.from(key.values, (v) => {
        let c = index.get(v);
        if (c === undefined) index.set(v, (c = dictionary.push(String(v)) - 1));
        return c;
      });
      keys[name] = { codes, dictionary };
    }
  }
  const measures = Object.fromEntries(output.measures);
  const freeForm = output.features.size > 0 || output.label ? 1 : 0;
  return { emitted: { rows: output.length, keys, measures }, freeForm };
}

/** Declared outputs split into tables and models; without any declared, one contributor count over every emitted key. */
export function splitOutputs(outputs: readonly OutputSpec[], emitted: Emitted): { specs: (TableSpec & Pick<Extract<OutputSpec, { by: unknown }>, 'domain'>)[]; modelSpecs: ModelOutputSpec[] } {
  if (outputs.length === 0) return { specs: defaultOutputs(emitted), modelSpecs: [] };
  return { specs: outputs.filter((o) => !isModelSpec(o)) as Extract<OutputSpec, { by: unknown }>[], modelSpecs: outputs.filter(isModelSpec) };
}

/** Without requested outputs: one contributor count over every emitted key. */
export function defaultOutputs(emitted: Emitted): TableSpec[] {
  const by = Object.keys(emitted.keys);
  return by.length === 0 ? [] : [{ name: 'counts', kind: 'count', by }];
}
