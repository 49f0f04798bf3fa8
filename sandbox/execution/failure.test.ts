import { describe, expect, it } from 'vitest';
import { badOutputFromIsolate, positionInSource, redactRuntimeError, redactSyntaxError } from './failure.ts';

describe('redactRuntimeError', () => {
  it('names a built-in error class and a position, never a message', () => {
    expect(redactRuntimeError('TypeError', { line: 3, column: 9 })).toEqual({ code: 'RUNTIME_ERROR', reason: 'TypeError thrown at line 3, column 9' });
  });

  it('reports any other class name as Error: operator code chooses names at run time', () => {
    expect(redactRuntimeError('Income_987654', null).reason).toBe('Error thrown');
    expect(redactRuntimeError(42, null).reason).toBe('Error thrown');
  });

  it('says when a non-error value was thrown', () => {
    expect(redactRuntimeError(null, null).reason).toBe('a non-error value was thrown');
  });
});

describe('positionInSource', () => {
  const source = 'export function map() {\n  throw 1;\n}';

  it('keeps positions inside the source', () => {
    expect(positionInSource(source, 2, 3)).toEqual({ line: 2, column: 3 });
  });

  it('drops positions outside it (they cannot come from the module itself)', () => {
    expect(positionInSource(source, 9, 1)).toBeNull();
    expect(positionInSource(source, 2, 40)).toBeNull();
    expect(positionInSource(source, 0, 1)).toBeNull();
    expect(positionInSource(source, '2', 1)).toBeNull();
  });
});

describe('redactSyntaxError', () => {
  const source = 'export function map() {\n  return }}\n}';

  it("keeps V8's kind of mistake and the position", () => {
    expect(redactSyntaxError("Unexpected token '}' [model.js:2:11]", source)).toEqual({
      code: 'SYNTAX_ERROR',
      reason: 'Unexpected token … at line 2, column 11',
    });
  });

  it('drops quoted text, regular expressions and digits, and cuts long messages', () => {
    const { reason } = redactSyntaxError(`Invalid regular expression: /a(123/: Unterminated group "x" ${'y'.repeat(300)}`, source);
    expect(reason).not.toMatch(/123|"x"|a\(/);
    expect(reason.length).toBeLessThanOrEqual(120);
  });

  it('falls back to a fixed text', () => {
    expect(redactSyntaxError(undefined, source).reason).toBe('syntax error');
  });
});

describe('badOutputFromIsolate', () => {
  it('maps known ids to fixed text and anything else to MALFORMED', () => {
    expect(badOutputFromIsolate('LENGTH').reason).toMatch(/one element per described row/);
    expect(badOutputFromIsolate('secret 123').reason).toMatch(/malformed/);
    expect(badOutputFromIsolate('toString').reason).toMatch(/malformed/);
  });
});
