// The fixed failure codes of a model job and the data-free reasons that go with them (redactModelError and friends).
//
// A reason reaches the operator, logs and the audit trail, so it is built only from fixed text, an error class from a
// closed list and a line:column in the operator's own source. Never from an error message or a name the operator's
// code chose at run time: those can carry data values out past disclosure control.

/** Failure codes of a model job. Stored with failed jobs and shown to operators: add, never rename. */
export const SANDBOX_FAILURE_CODES = [
  'SYNTAX_ERROR',
  'RUNTIME_ERROR',
  'TIMEOUT',
  'MEMORY_LIMIT',
  'OUTPUT_TOO_LARGE',
  'BAD_OUTPUT',
  'WORKER_CRASHED',
] as const;
export type SandboxFailureCode = (typeof SANDBOX_FAILURE_CODES)[number];

export interface SandboxFailure {
  code: SandboxFailureCode;
  /** fixed text plus at most an error class and a line:column; never a data value */
  reason: string;
}

/** Why an output was refused: the ids the in-isolate serializer and the host validator use, with their text. */
export const BAD_OUTPUT_REASONS = {
  NO_MAP: 'the module does not export a function named map',
  NOT_OBJECT: 'map must return an object',
  PROMISE: 'map must return its result synchronously, not a Promise',
  SECTION: 'keys, measures and features must each be a plain object of named columns',
  EMPTY: 'map must emit at least one key, measure or feature column',
  NAME: 'a column name is not an identifier of at most 64 characters ([A-Za-z_][A-Za-z0-9_]*)',
  DUPLICATE_NAME: 'two emitted columns have the same name',
  TOO_MANY_COLUMNS: 'more than 256 columns in one section',
  KEY_TYPE: 'a key column must be an array of strings, an Int32Array, or { codes: Int32Array, dictionary: string[] }',
  KEY_VALUE: 'a key array holds something other than a string, null or undefined',
  KEY_CODE: 'a key code is outside its dictionary (use -1 for missing)',
  LABEL_LENGTH: 'a key string or dictionary entry is longer than 256 characters',
  NUMBER_TYPE: 'a measure, feature or label must be a Float64Array, an Int32Array or an array of numbers',
  NUMBER_VALUE: 'a measure, feature or label holds something other than a finite number or a missing value',
  LENGTH: 'an emitted column does not have one element per described row',
  ROWS: 'rows must be strictly increasing indices of input rows',
  MALFORMED: 'the output could not be read (malformed wire format)',
} as const;
export type BadOutputReasonId = keyof typeof BAD_OUTPUT_REASONS;

export function badOutput(id: BadOutputReasonId): SandboxFailure {
  return { code: 'BAD_OUTPUT', reason: `bad output: ${BAD_OUTPUT_REASONS[id]}` };
}

/** Maps an id reported from inside the isolate to its fixed text; an unknown id (a bug, or tampering) gets MALFORMED. */
export function badOutputFromIsolate(id: unknown): SandboxFailure {
  return typeof id === 'string' && Object.hasOwn(BAD_OUTPUT_REASONS, id) ? badOutput(id as BadOutputReasonId) : badOutput('MALFORMED');
}

/** The error classes a reason may name; any other thrown value is reported as "Error" or "a non-error value". */
export const ERROR_CLASSES = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

export interface SourcePosition {
  line: number;
  column: number;
}

/** Keeps a position only if it lies inside the operator's source: anything else did not come from V8's parser. */
export function positionInSource(source: string, line: unknown, column: unknown): SourcePosition | null {
  if (!Number.isInteger(line) || !Number.isInteger(column)) return null;
  const l = line as number;
  const c = column as number;
  const lines = source.split('\n');
  if (l < 1 || l > lines.length || c < 1 || c > (lines[l - 1]?.length ?? 0) + 1) return null;
  return { line: l, column: c };
}

function at(position: SourcePosition | null): string {
  return position ? ` at line ${position.line}, column ${position.column}` : '';
}

/**
 * The reason for an exception thrown by operator code: its class from a closed list and where it was created.
 * The message is dropped: operator code can put any data value into it.
 */
export function redactRuntimeError(errorClass: unknown, position: SourcePosition | null): SandboxFailure {
  const name = typeof errorClass === 'string' && ERROR_CLASSES.has(errorClass) ? errorClass : errorClass === null ? null : 'Error';
  const what = name === null ? 'a non-error value was thrown' : `${name} thrown`;
  return { code: 'RUNTIME_ERROR', reason: `${what}${at(position)}` };
}

/**
 * The reason for a module that does not compile. V8's message names the kind of mistake; quoted tokens, regular
 * expression bodies and digits are dropped anyway (they come from the source, which should carry no data, but a
 * reason is not the place to echo it), and the text is cut to 120 characters.
 */
export function redactSyntaxError(message: unknown, source: string): SandboxFailure {
  const text = typeof message === 'string' ? message : '';
  const match = /\[[^\]\n]*:(\d+):(\d+)\]\s*$/.exec(text);
  const position = match ? positionInSource(source, Number(match[1]), Number(match[2])) : null;
  const kind = text
    .replace(/\[[^\]\n]*\]\s*$/, '')
    .replace(/'[^'\n]*'|"[^"\n]*"|`[^`\n]*`|\/[^/\n]*\//g, '…')
    .replace(/\d+/g, '#')
    .replace(/[^\x20-\x7e…]/g, '')
    .trim()
    .slice(0, 120);
  return { code: 'SYNTAX_ERROR', reason: `${kind || 'syntax error'}${at(position)}` };
}
