// Keeps secrets and unbounded values out of audit details: they are kept forever and shown to security staff.

/** Member names whose values are never recorded: passwords, tokens, key material, session ids. */
const SENSITIVE =
  /password|passwd|passphrase|secret|token|apikey|privatekey|privkey|credential|authorization|cookie|session|jwk|mnemonic|seed|keymaterial|^pem$|^otp$|^pin$|^keys?$|^d$/;

export const REDACTED = '[redacted]';

const LIMITS = { depth: 6, members: 100, items: 200, stringLength: 1000, totalLength: 16_384 } as const;

/** Normalised member name: `access_token`, `accessToken` and `Access-Token` all read `accesstoken`. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * Text that PostgreSQL stores and gives back unchanged: no NUL, no lone surrogate (either would make the stored
 * entry differ from the hashed one). Clipped to `max` characters.
 */
export function storableText(value: string, max: number): string {
  const clean = value
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replaceAll('\u0000', '\uFFFD');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function clean(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return storableText(value, LIMITS.stringLength);
  // -0 would be stored (and hashed after reading back) as 0
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('audit details hold an invalid Date');
    return value.toISOString();
  }
  if (typeof value !== 'object') throw new TypeError(`audit details cannot hold a ${typeof value}`);
  if (depth >= LIMITS.depth) throw new TypeError(`audit details nest deeper than ${LIMITS.depth} levels`);
  if (Array.isArray(value)) {
    if (value.length > LIMITS.items) throw new TypeError(`audit details hold an array longer than ${LIMITS.items}`);
    return value.map((item) => (item === undefined ? null : clean(item, depth + 1)));
  }
  // class instances (Buffer, Error, Map, …) may carry key material or data values in ways a reader cannot see
  if (!isPlainObject(value)) throw new TypeError('audit details may hold plain objects only');
  return cleanObject(value as Record<string, unknown>, depth + 1);
}

function cleanObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length > LIMITS.members) throw new TypeError(`audit details hold more than ${LIMITS.members} members`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const name = storableText(key, 100);
    // the value is dropped, the name kept: the reader learns that something was supplied, not what
    Object.defineProperty(out, name, {
      value: isSensitiveKey(name) ? REDACTED : clean(v, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * A copy of `details` fit for the audit log: members named like secrets (password, token, secret, private key,
 * cookie, …) are replaced by "[redacted]" at any depth, strings are clipped to 1,000 characters, Dates become ISO
 * strings, BigInts strings, non-finite numbers null. Throws TypeError for anything that is not plain JSON-like data
 * (functions, class instances such as Buffer or Error), nesting deeper than 6, or more than 16 KiB in all.
 * It cannot know what is a data value: callers record ids, counts, field names and reasons, never row values.
 */
export function safeDetails(details: unknown): Record<string, unknown> {
  if (details === undefined || details === null) return {};
  if (typeof details !== 'object' || Array.isArray(details) || !isPlainObject(details)) {
    throw new TypeError('audit details must be a plain object');
  }
  const out = cleanObject(details as Record<string, unknown>, 1);
  if (JSON.stringify(out).length > LIMITS.totalLength) {
    throw new TypeError(`audit details are longer than ${LIMITS.totalLength} characters`);
  }
  return out;
}
