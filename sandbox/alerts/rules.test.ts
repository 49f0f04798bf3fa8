// The alert policy's pure tests: which failures are probes, which checks are high-risk, and the policy's shape.
import { describe, expect, it } from 'vitest';
import { ALERT_POLICY, alertPolicySchema, jobFailureAlert, overThreshold, probedGlobals, releaseAlerts } from './rules.ts';

describe('probedGlobals', () => {
  it('finds removed and Node globals as identifiers, not as properties or parts of names', () => {
    expect(probedGlobals('const m = new WebAssembly.Memory({}); typeof SharedArrayBuffer; Atomics.wait')).toEqual(['Atomics', 'SharedArrayBuffer', 'WebAssembly']);
    expect(probedGlobals("process.env; require('fs')")).toEqual(['process', 'require']);
    expect(probedGlobals("globalThis.process.env; globalThis['WebAssembly']; self.Atomics; row.process")).toEqual(['Atomics', 'WebAssembly', 'process']);
    expect(probedGlobals('(() => {}).constructor.constructor("return this")(); import("x")')).toEqual(['constructor.constructor', 'import()']);
    expect(probedGlobals('const processed = c.process_date; row.require; myrequire()')).toEqual([]);
    // the operator's own function named process is not a probe
    expect(probedGlobals('function process(x) { return x; } export function map(c) { return process(c); }')).toEqual([]);
  });

  it('never counts names in comments or strings: the JSDoc line every example carries is not a probe', () => {
    const example = `// @ts-check
/** @type {import('./model-api').MapFunction} */
// we do not use process or require here; WebAssembly is gone anyway
export function map(c) {
  const note = "import('x') and globalThis.process in a string";
  const tmpl = \`Atomics \${1 + 1} SharedArrayBuffer\`;
  const re = /process|require/g;
  return { keys: { sex: c.sex } };
}`;
    expect(probedGlobals(example)).toEqual([]);
    // the same names as code still count
    expect(probedGlobals(`${example}\nconst leak = process;`)).toEqual(['process']);
  });

  it('probes nothing in a source that does not tokenise (it fails to compile anyway)', () => {
    expect(probedGlobals('export function map(c) { process.env; return "unterminated }')).toEqual([]);
  });
});

describe('jobFailureAlert', () => {
  const probe = 'export function map(c) { return { x: WebAssembly.Memory }; }';
  it('a ReferenceError or TypeError in code naming removed globals is a critical escape attempt that suspends', () => {
    expect(jobFailureAlert(probe, { errorCode: 'RUNTIME_ERROR', reason: 'ReferenceError thrown at line 1, column 36' })).toMatchObject({ kind: 'escape-attempt', severity: 'critical', suspend: true, details: { probed: ['WebAssembly'] } });
  });
  it('the same error without a probe, or another error class, is not an alert', () => {
    expect(jobFailureAlert('export function map(c) { return null.x; }', { errorCode: 'RUNTIME_ERROR', reason: 'TypeError thrown at line 1, column 33' })).toBeNull();
    expect(jobFailureAlert(probe, { errorCode: 'RUNTIME_ERROR', reason: 'RangeError thrown' })).toBeNull();
    expect(jobFailureAlert(probe, { errorCode: 'SYNTAX_ERROR', reason: 'Unexpected token' })).toBeNull();
  });
  it('crashes, memory limits and oversize outputs', () => {
    expect(jobFailureAlert('', { errorCode: 'WORKER_CRASHED', reason: '' })).toMatchObject({ kind: 'escape-attempt', severity: 'high', suspend: false });
    expect(jobFailureAlert('', { errorCode: 'MEMORY_LIMIT', reason: '' })).toMatchObject({ kind: 'escape-attempt', severity: 'low' });
    expect(jobFailureAlert('', { errorCode: 'OUTPUT_TOO_LARGE', reason: '' })).toMatchObject({ kind: 'oversize-output', severity: 'medium' });
    expect(jobFailureAlert('', { errorCode: 'TIMEOUT', reason: '' })).toBeNull();
  });
});

describe('releaseAlerts', () => {
  it('withheld differencing cells and a failed size gate, with counts only', () => {
    const alerts = releaseAlerts([
      { check: 'size_gate', outcome: 'fail', details: { rows: 9000, cells: 9000 } },
      { check: 'differencing', outcome: 'applied', details: { suppressed: 2, earlierCells: 5 } },
    ]);
    expect(alerts.map((a) => [a.kind, a.details])).toEqual([
      ['differencing', { suppressed: 2, earlierCells: 5 }],
      ['oversize-output', { rows: 9000, cells: 9000 }],
    ]);
    expect(releaseAlerts([{ check: 'differencing', outcome: 'pass' }, { check: 'size_gate', outcome: 'pass' }])).toEqual([]);
  });
});

describe('the policy', () => {
  it('parses, and thresholds count inclusively', () => {
    expect(alertPolicySchema.parse(ALERT_POLICY)).toEqual(ALERT_POLICY);
    expect(() => alertPolicySchema.parse({ ...ALERT_POLICY, burst: { threshold: 0, windowMinutes: 1, severity: 'low', suspend: false } })).toThrow();
    expect(overThreshold(9, ALERT_POLICY.repeatedRefusals)).toBe(false);
    expect(overThreshold(10, ALERT_POLICY.repeatedRefusals)).toBe(true);
  });
});
