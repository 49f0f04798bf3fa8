// RFC 8785 JSON Canonicalization Scheme (JCS): the one encoding that hashes and signatures are computed over.
import canonicalize from 'canonicalize';

/**
 * The canonical JSON text of `value` (RFC 8785): members sorted by UTF-16 code units, no whitespace, numbers as
 * ECMAScript prints them. This is a storage format outside parties recompute (audit hashes, checkpoint signatures).
 * Throws TypeError for values I-JSON cannot carry: NaN, ±Infinity, BigInt, lone surrogates, cycles, top-level
 * undefined or functions.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    // the library's messages name the kind of value ("NaN is not allowed"), never the value itself
    throw new TypeError(`value has no canonical JSON form: ${(err as Error).message}`);
  }
  if (text === undefined) throw new TypeError('value has no canonical JSON form: not a JSON value');
  return text;
}
