// A sweep of hostile input over every operation of an OpenAPI 3.1 document: for each operation, every path
// parameter, query parameter and body string in turn gets each kind of hostile value, the rest of the request being
// as plausible as the schema allows (so that the value travels as deep as it can). What a tester would send.
type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
  example?: unknown;
};

export interface SweepRequest {
  /** what was made hostile, e.g. "POST /open/feedback body /message: nul" */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Hostile strings, for JSON bodies (where escapes make any UTF-16 string possible). */
export const HOSTILE_STRINGS: Readonly<Record<string, string>> = {
  nul: 'a\u0000b',
  'lone-surrogate': 'x\ud800y',
  'lone-low-surrogate': '\udc00',
  'long-text': '长'.repeat(20_000),
  sql: "' OR 1=1; DROP TABLE datasets; --",
  'format-string': '%s%n%x%d',
  'rtl-and-emoji': '\u202e\ud83d\ude00\u0301',
  markup: '<script>alert(1)</script>',
  traversal: '../../../../etc/passwd',
  empty: '',
  'proto-key': '__proto__',
};

/** Hostile values of the wrong type, for JSON bodies. */
export const HOSTILE_VALUES: Readonly<Record<string, unknown>> = {
  null: null,
  'huge-number': 1e308,
  'negative-number': -1,
  'unsafe-integer': 2 ** 60,
  array: [[[]]],
  object: { $where: '1' },
  boolean: true,
};

/** Hostile path and query text, already percent-encoded as a client could send it. */
export const HOSTILE_ENCODED: Readonly<Record<string, string>> = {
  nul: 'a%00b',
  'invalid-utf8': '%ED%A0%80',
  'bad-percent': '%zz%',
  'long-text': 'x'.repeat(5000),
  sql: "'%20OR%201=1--",
  traversal: '..%2F..%2Fetc%2Fpasswd',
  'negative-number': '-1',
  huge: '99999999999999999999999999',
  'unicode-emoji': '%F0%9F%98%80',
  empty: '',
};

/** Strings that satisfy common patterns of this API, tried in order against a schema's pattern. */
const PATTERN_CANDIDATES = [
  'legal_persons',
  '330000',
  '330106',
  '2024',
  '2024-06-30',
  '2024-06-30T00:00:00.000Z',
  '91350100M000100Y43',
  'aggregate',
  'abc12345',
  'x',
  'a',
  '1',
  'k-1',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
];

/** Every UTF-8 byte of `text` percent-encoded (a lone surrogate becomes U+FFFD, as a browser's encoder makes it). */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

export class OpenApiSweep {
  constructor(private readonly doc: { paths: Record<string, Record<string, Record<string, unknown>>>; components?: { schemas?: Record<string, Schema> } }) {}

  private resolve(schema: Schema | undefined, depth = 0): Schema {
    if (!schema || depth > 20) return {};
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop()!;
      return this.resolve(this.doc.components?.schemas?.[name], depth + 1);
    }
    if (schema.allOf) return this.resolve(Object.assign({}, ...schema.allOf.map((s) => this.resolve(s, depth + 1))), depth + 1);
    return schema;
  }

  /** A value the schema would most likely accept (required properties only; enums, patterns and bounds honoured). */
  plausible(raw: Schema | undefined, depth = 0): unknown {
    const schema = this.resolve(raw);
    if (depth > 8) return null;
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return schema.enum[0];
    if (schema.example !== undefined) return schema.example;
    if (schema.default !== undefined) return schema.default;
    const choice = schema.anyOf ?? schema.oneOf;
    if (choice) return this.plausible(choice.find((s) => this.resolve(s).type !== 'null') ?? choice[0], depth + 1);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    switch (type) {
      case 'string': {
        if (schema.format === 'date-time') return '2024-06-30T00:00:00.000Z';
        if (schema.format === 'date') return '2024-06-30';
        if (schema.format === 'email') return 'someone@example.com';
        if (schema.format === 'uri') return 'https://example.com/';
        if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
        if (schema.pattern) {
          const re = new RegExp(schema.pattern, 'u');
          return PATTERN_CANDIDATES.find((c) => re.test(c)) ?? 'x';
        }
        return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
      }
      case 'integer':
      case 'number':
        return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      case 'boolean':
        return true;
      case 'array':
        return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => this.plausible(schema.items, depth + 1));
      case 'object':
      default: {
        if (!schema.properties) return type === 'object' ? {} : 'x';
        const out: Record<string, unknown> = {};
        for (const key of schema.required ?? []) out[key] = this.plausible(schema.properties[key], depth + 1);
        return out;
      }
    }
  }

  /** JSON pointers of the string-ish leaves of a plausible body (and of every property of its top-level object). */
  private leaves(value: unknown, at = ''): string[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => this.leaves(v, `${at}/${i}`));
    if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => this.leaves(v, `${at}/${k}`));
    return [at];
  }

  private static set(root: unknown, pointer: string, value: unknown): unknown {
    if (pointer === '') return value;
    const copy = structuredClone(root) as Record<string, unknown>;
    const keys = pointer.slice(1).split('/');
    let node = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[keys.at(-1)!] = value;
    return copy;
  }

  /** Every hostile request for every operation; `headersFor` gives each path its credentials. */
  requests(headersFor: (path: string) => Record<string, string>): SweepRequest[] {
    const out: SweepRequest[] = [];
    for (const [template, operations] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const params = ((op.parameters ?? []) as { name: string; in: string; schema?: Schema }[]).map((p) => ({ ...p, plausible: this.plausible(p.schema) }));
        const pathParams = params.filter((p) => p.in === 'path');
        const queryParams = params.filter((p) => p.in === 'query');
        const fill = (hostile?: { name: string; encoded: string }) =>
          template.replace(/\{([^}]+)\}/g, (_, name: string) =>
            hostile?.name === name ? hostile.encoded : encodeURIComponent(String(pathParams.find((p) => p.name === name)?.plausible ?? 'x')),
          );
        const headers = headersFor(template);
        const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content ?? {};
        const jsonSchema = content['application/json']?.schema;
        const formSchema = content['application/x-www-form-urlencoded']?.schema;
        const plainBody = jsonSchema ? this.plausible(jsonSchema) : undefined;
        const bodyHeaders = { ...headers, 'content-type': jsonSchema ? 'application/json' : formSchema ? 'application/x-www-form-urlencoded' : 'text/csv' };
        const base = { method: method.toUpperCase(), headers: plainBody === undefined ? headers : bodyHeaders };
        const baseBody = plainBody === undefined ? (formSchema ? 'grant_type=client_credentials' : method === 'post' ? 'a,b\n1,2\n' : undefined) : JSON.stringify(plainBody);
        const name = `${method.toUpperCase()} ${template}`;

        for (const p of pathParams) {
          for (const [kind, encoded] of Object.entries(HOSTILE_ENCODED)) {
            if (encoded === '') continue; // an empty segment is another route
            out.push({ ...base, label: `${name} path ${p.name}: ${kind}`, path: fill({ name: p.name, encoded }), body: baseBody });
          }
        }
        for (const p of queryParams) {
          for (const [kind, encoded] of Object.entries(HOSTILE_ENCODED)) {
            out.push({ ...base, label: `${name} query ${p.name}: ${kind}`, path: `${fill()}?${encodeURIComponent(p.name)}=${encoded}`, body: baseBody });
          }
        }
        if (plainBody !== undefined) {
          const pointers = [...new Set(['', ...this.leaves(plainBody)])];
          for (const pointer of pointers) {
            for (const [kind, value] of [...Object.entries(HOSTILE_STRINGS), ...Object.entries(HOSTILE_VALUES)]) {
              out.push({ ...base, label: `${name} body ${pointer || '(whole)'}: ${kind}`, path: fill(), body: JSON.stringify(OpenApiSweep.set(plainBody, pointer, value)) });
            }
          }
          // a key of its own choosing with a NUL, and JSON that is not JSON, or is nested past any sensible depth
          out.push({ ...base, label: `${name} body key: nul`, path: fill(), body: JSON.stringify({ ...(plainBody as object), 'k\u0000': 1 }) });
          out.push({ ...base, label: `${name} body: malformed`, path: fill(), body: '{"a":' });
          out.push({ ...base, label: `${name} body: deep`, path: fill(), body: `${'['.repeat(5000)}${']'.repeat(5000)}` });
        } else if (baseBody !== undefined) {
          for (const [kind, value] of Object.entries(HOSTILE_STRINGS)) {
            out.push({ ...base, label: `${name} body: ${kind}`, path: fill(), body: formSchema ? `grant_type=${percentEncoded(value)}` : `a,b\n${value},2\n` });
          }
        }
        // headers whose text the gateway reads: cookies (percent-decoded), the request id, forwarding, language
        out.push({
          ...base,
          label: `${name} headers: hostile`,
          path: fill(),
          body: baseBody,
          headers: {
            ...base.headers,
            cookie: 'console_session=%00; portal_csrf=%ED%A0%80; portal_lang=%zz',
            'x-request-id': '../%00<script>',
            'x-forwarded-for': 'garbage, ::ffff:999.1.1.1',
            'accept-language': `${'x'.repeat(2000)};q=NaN`,
            'x-application-id': '%00',
            'x-status-token': "' OR 1=1 --",
          },
        });
      }
    }
    return out;
  }
}
