// The one place text enters the platform. Before any route, database or policy engine sees a request, this checks
// every string of it — path segments, query parameters, headers (cookies decoded), and the body's strings (JSON at
// any depth, form fields, multipart fields and file names, plain text) — and refuses with 400 problem+json:
// - a NUL (U+0000): PostgreSQL cannot store it in text ("invalid byte sequence for encoding UTF8: 0x00");
// - an unpaired UTF-16 surrogate ("\ud800" in JSON): not a character; Cedar (and any UTF-8 encoder) refuses it;
// - percent-encoding in the path that is not UTF-8.
// It also enforces each route's body limit (body-limits.ts, 413) and turns a body that does not parse as the form it
// claims to be (a truncated multipart body) into a 400. Bodies are read once, here, and handed on through hono's
// body cache; dataset loads are streamed past a byte counter instead (their rows are checked by store/registry).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../errors/index.ts';
import type { AppEnv } from '../context.ts';
import { bodyLimitOf, type BodyLimit } from './body-limits.ts';

// a NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Where = 'path' | 'query' | 'header' | 'body';

function refuse(where: Where, what: string, text: string): never {
  const reason = text.includes('\u0000') ? 'a NUL character' : 'an unpaired UTF-16 surrogate (not a character)';
  // `what` names the place (a parameter, a JSON pointer, a header) only when it is itself clean, and never its value
  const name = BAD_TEXT.test(what) ? undefined : what.slice(0, 100);
  throw new AppError('BAD_REQUEST', `the ${where}${name ? ` (${name})` : ''} contains ${reason}`, { details: { in: where, ...(name ? { name } : {}) } });
}

function check(where: Where, what: string, text: string): void {
  if (BAD_TEXT.test(text)) refuse(where, what, text);
}

/** Every string of a parsed JSON value, keys included, walked without recursion (nesting depth is the sender's). */
function checkJson(value: unknown): void {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') check('body', at || '/', v);
    else if (Array.isArray(v)) v.forEach((item, i) => stack.push([item, `${at}/${i}`]));
    else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        check('body', `${at}/`, key);
        stack.push([item, `${at}/${key}`]);
      }
    }
  }
}

function checkPath(url: URL): void {
  for (const segment of url.pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new AppError('BAD_REQUEST', 'the path holds percent-encoding that is not UTF-8', { details: { in: 'path' } });
    }
    check('path', 'segment', decoded);
  }
}

function checkHeaders(headers: Headers): void {
  headers.forEach((value, name) => {
    check('header', name, value);
    if (name !== 'cookie') return;
    // cookie values are percent-decoded by whoever reads them (hono's getCookie)
    for (const pair of value.split(';')) {
      const raw = pair.slice(pair.indexOf('=') + 1).trim();
      let decoded = raw;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        // left as it is: getCookie does the same
      }
      check('header', 'cookie', decoded);
    }
  });
}

function tooLarge(bytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the request body exceeds ${bytes} bytes for this route`, { details: { limitBytes: bytes } });
}

/** The whole body, or PAYLOAD_TOO_LARGE as soon as it passes `limit` bytes (nothing beyond is read). */
async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_REQUEST', 'the request body could not be read to its end');
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The body as it arrives, failing with PAYLOAD_TOO_LARGE once it passes `limit` bytes; `ended` once all was read. */
function counted(body: ReadableStream<Uint8Array>, limit: number): { stream: ReadableStream<Uint8Array>; ended: () => boolean } {
  let size = 0;
  let ended = false;
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
      flush() {
        ended = true;
      },
    }),
  );
  return { stream, ended: () => ended };
}

async function checkForm(buffer: Uint8Array, contentType: string): Promise<FormData> {
  let form: FormData;
  try {
    form = await new Response(buffer, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new AppError('BAD_REQUEST', 'the form body does not parse (truncated or malformed)', { details: { in: 'body' } });
  }
  form.forEach((value, key) => {
    check('body', 'field name', key);
    if (typeof value === 'string') check('body', key, value);
    else check('body', key, value.name);
  });
  return form;
}

/** hono keeps the promises of what it read in `bodyCache` (its declared type names the resolved values) */
const cache = (bodyCache: object) => bodyCache as Record<string, Promise<unknown>>;

export function edgeInput(limitOf: (method: string, path: string) => BodyLimit = bodyLimitOf): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    checkPath(url);
    url.searchParams.forEach((value, key) => {
      check('query', 'parameter name', key);
      check('query', key, value);
    });
    checkHeaders(c.req.raw.headers);

    if (BODYLESS.has(c.req.method)) return next();
    const body = c.req.raw.body;
    if (!body) return next();
    const limit = limitOf(c.req.method, c.req.path);
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    if (declared > limit.bytes) throw tooLarge(limit.bytes);
    if (limit.streamed) {
      const { stream, ended } = counted(body, limit.bytes);
      c.req.raw = new Request(c.req.raw, { body: stream, duplex: 'half' } as RequestInit);
      await next();
      // refused before its body was read (a 404, a 415): the rest of the upload is not read either, so the connection
      // closes after this answer, and saying so keeps a client from sending its next request down it
      if (!ended()) c.header('Connection', 'close');
      return;
    }

    const buffer = await readCapped(body, limit.bytes);
    const contentType = c.req.header('content-type') ?? '';
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    c.req.raw = new Request(c.req.raw, { body: buffer });
    if (mediaType === 'multipart/form-data' || mediaType === 'application/x-www-form-urlencoded') {
      // hono's parseBody reuses this parse (its body cache), so routes see exactly what was checked
      const form = await checkForm(buffer, contentType);
      cache(c.req.bodyCache).formData = Promise.resolve(form);
    } else {
      // JSON, CKAN's text bodies and anything else: the text, and when it is JSON, every string in it (escapes decoded)
      const text = new TextDecoder().decode(buffer);
      check('body', 'text', text);
      let parsed: unknown;
      let isJson = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        isJson = false; // the route answers malformed JSON in its own way
      }
      if (isJson) checkJson(parsed);
      cache(c.req.bodyCache).text = Promise.resolve(text);
    }
    return next();
  };
}
