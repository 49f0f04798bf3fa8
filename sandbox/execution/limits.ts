// Resource limits of one model job, with the defaults and the bounds the platform accepts.

export interface JobLimits {
  /** heap of the isolate for the operator's own work and the output, in MiB; the input columns are added on top */
  memoryMb: number;
  /** CPU time spent running operator code (compile, module body, map, serializing the output), in ms */
  cpuTimeMs: number;
  /** wall time of the whole job in the worker, in ms; the supervisor kills the worker a grace period later */
  wallTimeMs: number;
  /** bytes of serialized output: the typed arrays plus the header with names and dictionaries */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: Readonly<JobLimits> = Object.freeze({
  memoryMb: 128,
  cpuTimeMs: 10_000,
  wallTimeMs: 30_000,
  maxOutputBytes: 256 * 1024 * 1024,
});

const BOUNDS: Readonly<Record<keyof JobLimits, readonly [number, number]>> = {
  memoryMb: [8, 4096],
  cpuTimeMs: [10, 600_000],
  wallTimeMs: [50, 900_000],
  maxOutputBytes: [1024, 2 * 1024 * 1024 * 1024],
};

/** Longest model source accepted, in UTF-16 code units. */
export const MAX_CODE_LENGTH = 1_000_000;
/** Longest `params` accepted, as JSON text. */
export const MAX_PARAMS_LENGTH = 64 * 1024;

/**
 * Fills in defaults and checks bounds. Limits come from platform configuration, not from operators' free text.
 * @throws TypeError when a limit is not an integer within its bounds (a platform programming mistake)
 */
export function resolveLimits(limits: Partial<JobLimits> = {}): JobLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(BOUNDS) as (keyof JobLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    const [min, max] = BOUNDS[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new TypeError(`limits.${key} must be an integer from ${min} to ${max}`);
    }
    out[key] = value;
  }
  if (out.cpuTimeMs > out.wallTimeMs) throw new TypeError('limits.cpuTimeMs must not exceed limits.wallTimeMs');
  return out;
}
