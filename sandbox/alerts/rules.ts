// The alert policy (高危操作阻断策略): thresholds, windows, severities and when an operator is suspended, and the pure
// tests that read a job's fixed failure or a count of refusals against them. No I/O: the detectors count, this decides.
import { tokenizer } from 'acorn';
import { z } from 'zod';
import type { AlertKind, AlertSeverity } from './schema.ts';

const windowRule = z.object({
  /** how many events in the window raise the alert (the count includes the event being recorded) */
  threshold: z.number().int().min(1),
  windowMinutes: z.number().int().min(1),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  suspend: z.boolean(),
});
const eventRule = z.object({ severity: z.enum(['low', 'medium', 'high', 'critical']), suspend: z.boolean() });

export const alertPolicySchema = z.object({
  /** cells of a release the differencing check withheld (the release itself went on without them) */
  differencing: eventRule,
  /** a failed job whose source names a removed or never-present global, and whose failure shows it touched one */
  escapeProbe: eventRule,
  /** the sandbox process died or hit a catastrophic error (memory bombs that V8 cannot contain) */
  sandboxCrash: eventRule,
  /** the isolate's memory limit was hit: often an honest mistake, so low and no suspension */
  memoryLimit: eventRule,
  /** an output over the byte cap, or a release over the size gate */
  oversizeOutput: eventRule,
  /** QUOTA_EXCEEDED refusals of one operator */
  burst: windowRule,
  /** FORBIDDEN / BUDGET_EXHAUSTED submissions and refused releases of one operator */
  repeatedRefusals: windowRule,
  /** refused staff sign-ins and operator client assertions, per source IP and per operator */
  authFailures: windowRule,
  /** a real run whose emission for a row depended on other rows: an attack (honest models passed the preflight) */
  notRowLocal: eventRule,
  /** real runs of one licence failing on real data in one UTC day: each may carry one bit, so the licence goes to review */
  failedRuns: z.object({ perDay: z.number().int().min(1), severity: z.enum(['low', 'medium', 'high', 'critical']) }),
});
export type AlertPolicy = z.infer<typeof alertPolicySchema>;
export type WindowRule = z.infer<typeof windowRule>;

/** The platform's policy. Changing it is a reviewed code change, like the Cedar policies (docs/jobs.md). */
export const ALERT_POLICY: AlertPolicy = alertPolicySchema.parse({
  differencing: { severity: 'high', suspend: false },
  escapeProbe: { severity: 'critical', suspend: true },
  sandboxCrash: { severity: 'high', suspend: false },
  memoryLimit: { severity: 'low', suspend: false },
  oversizeOutput: { severity: 'medium', suspend: false },
  burst: { threshold: 5, windowMinutes: 60, severity: 'medium', suspend: false },
  repeatedRefusals: { threshold: 10, windowMinutes: 60, severity: 'high', suspend: true },
  authFailures: { threshold: 10, windowMinutes: 15, severity: 'high', suspend: false },
  notRowLocal: { severity: 'critical', suspend: true },
  failedRuns: { perDay: 3, severity: 'high' },
});

/**
 * Globals an operator's model has no business naming: removed before operator code runs (WebAssembly,
 * SharedArrayBuffer, Atomics) or never present in the isolate (Node's process, require, module loading, timers).
 */
export const FORBIDDEN_GLOBALS = ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'process', 'require', 'Buffer', '__dirname', 'setTimeout', 'setInterval', 'Deno', 'Bun'] as const;
const FORBIDDEN = new Set<string>(FORBIDDEN_GLOBALS);

/**
 * The forbidden names the source uses as code (names only, sorted, no duplicates): a bare identifier, a property of
 * the global object (`globalThis.process`, `globalThis['WebAssembly']`), `constructor.constructor`, or `import(`.
 * The source is tokenised (acorn), so comments and strings never count — the JSDoc `@type {import(…)}` line every
 * example carries is not a probe. A name the source declares itself (`function process(…)`) is its own. A source
 * that does not tokenise probes nothing (it fails to compile anyway).
 */
export function probedGlobals(source: string): string[] {
  type Token = { type: { label: string; keyword?: string }; value?: unknown };
  let tokens: Token[];
  try {
    tokens = [...tokenizer(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true })] as Token[];
  } catch {
    return [];
  }
  const declared = new Set<string>();
  const found = new Set<string>();
  const name = (t: Token | undefined): string | null => (t?.type.label === 'name' && typeof t.value === 'string' ? t.value : null);
  const keyword = (t: Token | undefined, k: string): boolean => t?.type.keyword === k || (t?.type.label === k);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const previous = tokens[i - 1];
    const id = name(t);
    if (id && previous && ['function', 'const', 'let', 'var', 'class'].some((k) => keyword(previous, k))) declared.add(id);
    if (keyword(t, 'import') && tokens[i + 1]?.type.label === '(') found.add('import()');
    if (id === 'constructor' && tokens[i + 1]?.type.label === '.' && name(tokens[i + 2]) === 'constructor') found.add('constructor.constructor');
    if (id && FORBIDDEN.has(id)) {
      // a property of something other than the global object is not a probe (x.process)
      const member = previous?.type.label === '.' || previous?.type.label === '?.';
      const owner = name(tokens[i - 2]);
      if (!member || owner === 'globalThis' || owner === 'self') found.add(id);
    }
    // globalThis['WebAssembly']
    if ((id === 'globalThis' || id === 'self') && tokens[i + 1]?.type.label === '[' && tokens[i + 2]?.type.label === 'string' && FORBIDDEN.has(String(tokens[i + 2]!.value))) {
      found.add(String(tokens[i + 2]!.value));
    }
  }
  for (const d of declared) found.delete(d);
  return [...found].sort();
}

export interface AlertDecision {
  kind: AlertKind;
  severity: AlertSeverity;
  suspend: boolean;
  summary: string;
  details: Record<string, unknown>;
}

/**
 * What a failed job's fixed error code says. A ReferenceError or TypeError in code that names forbidden globals is a
 * probe; a crashed sandbox process is a catastrophic error; an oversize output is its own kind. Null: nothing to report.
 */
export function jobFailureAlert(source: string, failure: { errorCode: string; reason: string }, policy: AlertPolicy = ALERT_POLICY): AlertDecision | null {
  const probed = probedGlobals(source);
  if (failure.errorCode === 'RUNTIME_ERROR' && /^(ReferenceError|TypeError) thrown/.test(failure.reason) && probed.length > 0) {
    return { kind: 'escape-attempt', ...policy.escapeProbe, summary: 'a job failed touching globals the sandbox removes', details: { errorCode: failure.errorCode, probed } };
  }
  if (failure.errorCode === 'WORKER_CRASHED') {
    return { kind: 'escape-attempt', ...policy.sandboxCrash, summary: 'a job crashed its sandbox process', details: { errorCode: failure.errorCode, probed } };
  }
  if (failure.errorCode === 'MEMORY_LIMIT') {
    return { kind: 'escape-attempt', ...policy.memoryLimit, summary: 'a job hit the sandbox memory limit', details: { errorCode: failure.errorCode, probed } };
  }
  if (failure.errorCode === 'OUTPUT_TOO_LARGE') {
    return { kind: 'oversize-output', ...policy.oversizeOutput, summary: 'a job emitted more than the output cap', details: { errorCode: failure.errorCode } };
  }
  return null;
}

/** A real run whose emission for a row depended on other rows (a preflight's finding is a failure, not this). */
export function notRowLocalAlert(policy: AlertPolicy = ALERT_POLICY): AlertDecision {
  return { kind: 'not-row-local', ...policy.notRowLocal, summary: 'a real run emitted for rows what depended on other rows', details: { check: 'row_locality' } };
}

interface CheckLike {
  check: string;
  outcome: string;
  details?: Record<string, unknown>;
}

/** What a checked release says: withheld differencing cells, or a refusal by the size gate. Counts only. */
export function releaseAlerts(checks: readonly CheckLike[], policy: AlertPolicy = ALERT_POLICY): AlertDecision[] {
  const out: AlertDecision[] = [];
  const diff = checks.find((c) => c.check === 'differencing');
  if (diff?.outcome === 'applied') {
    out.push({ kind: 'differencing', ...policy.differencing, summary: 'a release differed from earlier releases by fewer people than the threshold; cells withheld', details: { suppressed: diff.details?.suppressed ?? null, earlierCells: diff.details?.earlierCells ?? null } });
  }
  const size = checks.find((c) => c.check === 'size_gate');
  if (size?.outcome === 'fail') {
    out.push({ kind: 'oversize-output', ...policy.oversizeOutput, summary: 'a release was over the size gate and refused', details: { rows: size.details?.rows ?? null, cells: size.details?.cells ?? null } });
  }
  return out;
}

/** At or over the threshold; the detector raises once per subject and window (it looks for a recent alert first). */
export function overThreshold(count: number, rule: WindowRule): boolean {
  return count >= rule.threshold;
}
