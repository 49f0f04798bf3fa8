// The two CKAN clients people point at a portal, as they make their requests (read from their sources):
// - ckanapi 4.x `RemoteCKAN.call_action`: POST {address}/api/action/{action}, body `json.dumps(data_dict)` (ASCII,
//   non-ASCII as \uXXXX escapes), `Content-Type: application/json`, its User-Agent, redirects not followed; with
//   `get_only` a GET with the dict as query parameters the way requests encodes them (lists as repeated keys, True as
//   "True"); errors turned back into exceptions by `__type` (reverse_apicontroller_action).
// - ckanext-harvest's CKANHarvester: GET {base}/api/3/action/package_search?{urlencode(params)} with
//   rows=100, start=0, sort="id asc" and the fq terms joined by spaces (organizations ORed, `-organization:` excluded,
//   `metadata_modified:[<since, isoformat>Z TO *]`), start += rows until a page is empty (a page equal to the previous
//   one is "paging doesn't work"), duplicates weeded by id; then organization_show?id= and group_show?id=.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class CkanApiError extends Error {
  constructor(
    readonly kind: 'NotFound' | 'ValidationError' | 'SearchQueryError' | 'NotAuthorized' | 'CKANAPIError',
    readonly detail: unknown,
  ) {
    super(`${kind}: ${JSON.stringify(detail)}`);
  }
}

/** Python's json.dumps: ensure_ascii, ", " and ": " separators. */
export function pythonJsonDumps(value: Json): string {
  const ascii = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return ascii(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${ascii(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

/** requests' encoding of a params dict: lists repeat the key, True/False and numbers as Python's str(). */
function requestsParams(data: Record<string, Json>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === null) continue;
      out.append(key, typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
  }
  return out.toString();
}

/** reverse_apicontroller_action: the result, or the exception CKAN's error type maps to. */
function reverse(status: number, text: string): Json {
  let parsed: { success?: boolean; result?: Json; error?: { __type?: string; message?: string } } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CkanApiError('CKANAPIError', [status, text.slice(0, 200)]);
  }
  if (parsed.success) return parsed.result ?? null;
  const err = parsed.error ?? {};
  const message = (err.message ?? '').split(': ').slice(1).join(': ') || err.message;
  switch (err.__type) {
    case 'Search Query Error':
      throw new CkanApiError('SearchQueryError', message);
    case 'Validation Error':
      throw new CkanApiError('ValidationError', err);
    case 'Not Found Error':
      throw new CkanApiError('NotFound', message);
    case 'Authorization Error':
      throw new CkanApiError('NotAuthorized', err);
    default:
      throw new CkanApiError('CKANAPIError', [status, text.slice(0, 200)]);
  }
}

export const CKANAPI_USER_AGENT = 'ckanapi/4.11 (+https://github.com/ckan/ckanapi)';

/** ckanapi's RemoteCKAN, request for request. */
export class RemoteCKAN {
  /** every request made, for the test to inspect */
  readonly requests: { method: string; url: string; contentType: string | null; body: string | null }[] = [];
  constructor(
    readonly address: string,
    readonly options: { getOnly?: boolean } = {},
  ) {}

  async callAction(action: string, dataDict: Record<string, Json> = {}): Promise<Json> {
    const url = `${this.address.replace(/\/+$/, '')}/api/action/${action}`;
    const headers: Record<string, string> = { 'User-Agent': CKANAPI_USER_AGENT };
    let res: Response;
    if (this.options.getOnly) {
      const query = requestsParams(dataDict);
      const full = query ? `${url}?${query}` : url;
      this.requests.push({ method: 'GET', url: full, contentType: null, body: null });
      res = await fetch(full, { headers, redirect: 'follow' });
    } else {
      const body = pythonJsonDumps(dataDict);
      headers['Content-Type'] = 'application/json';
      this.requests.push({ method: 'POST', url, contentType: headers['Content-Type'], body });
      res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
    }
    return reverse(res.status, await res.text());
  }

  /** `ckanapi search datasets KEY=VALUE…`: package_search from start=0 in pages of 1000 until a page is empty. */
  async searchDatasets(args: Record<string, Json>): Promise<Json[]> {
    const out: Json[] = [];
    let start = Number(args.start ?? 0);
    for (;;) {
      const result = (await this.callAction('package_search', 'rows' in args ? args : { ...args, start, rows: 1000 })) as { results: Json[] };
      out.push(...result.results);
      if (result.results.length === 0 || 'rows' in args) return out;
      start += result.results.length;
    }
  }

  /** `ckanapi dump datasets --all`: package_list with its three flags, then package_show of each name. */
  async dumpDatasets(): Promise<Json[]> {
    const names = (await this.callAction('package_list', { include_private: false, include_drafts: false, include_deleted: false })) as string[];
    const out: Json[] = [];
    for (const name of names) out.push(await this.callAction('package_show', { id: name, include_datasets: false, include_password_hash: true, include_users: false }));
    return out;
  }
}

/** Python's urllib.parse.urlencode: quote_plus on keys and values (only A-Z a-z 0-9 _ . - ~ kept, spaces as +). */
export function pythonUrlencode(params: Record<string, string>): string {
  const quotePlus = (s: string) =>
    [...new TextEncoder().encode(s)].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return Object.entries(params).map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');
}

/** Python's datetime.isoformat() of a UTC instant (microseconds only when non-zero), as the harvester formats "since". */
export function pythonIsoformat(date: Date): string {
  const iso = date.toISOString().slice(0, 23);
  const ms = iso.slice(20);
  return ms === '000' ? iso.slice(0, 19) : `${iso}000`;
}

/** CKANHarvester.gather_stage's remote search and the follow-up lookups of its import stage. */
export class CkanHarvester {
  readonly urls: string[] = [];
  constructor(readonly remoteBaseUrl: string) {}

  private async getContent(url: string): Promise<string> {
    this.urls.push(url);
    const res = await fetch(url, { headers: { 'User-Agent': 'ckanext-harvest' } });
    if (res.status >= 400) throw new Error(`ContentFetchError: HTTP error: ${res.status} ${url}`);
    return res.text();
  }

  /** The fq terms of gather_stage for a source config and the last error-free job's start. */
  static fqTerms(config: { organizationsFilterInclude?: string[]; organizationsFilterExclude?: string[]; since?: Date }): string[] {
    const terms: string[] = [];
    if (config.organizationsFilterInclude?.length) terms.push(config.organizationsFilterInclude.map((o) => `organization:${o}`).join(' OR '));
    else if (config.organizationsFilterExclude?.length) terms.push(...config.organizationsFilterExclude.map((o) => `-organization:${o}`));
    if (config.since) terms.push(`metadata_modified:[${pythonIsoformat(new Date(config.since.getTime() - 3600_000))}Z TO *]`);
    return terms;
  }

  /** _search_for_datasets. */
  async searchForDatasets(fqTerms: string[] = []): Promise<{ id: string; name: string; organization: { name: string } | null; groups: { name: string }[] }[]> {
    const base = `${this.remoteBaseUrl.replace(/\/+$/, '')}/api/3/action/package_search`;
    const params: Record<string, string> = { rows: '100', start: '0', sort: 'id asc' };
    if (fqTerms.length) params.fq = fqTerms.join(' ');
    const pkgs: { id: string; name: string; organization: { name: string } | null; groups: { name: string }[] }[] = [];
    const ids = new Set<string>();
    let previous: string | null = null;
    for (;;) {
      const content = await this.getContent(`${base}?${pythonUrlencode(params)}`);
      if (previous !== null && content === previous) throw new Error("SearchError: The paging doesn't seem to work");
      previous = content;
      const page = ((JSON.parse(content) as { result?: { results?: typeof pkgs } }).result?.results ?? []).filter((p) => !ids.has(p.id));
      for (const p of page) ids.add(p.id);
      pkgs.push(...page);
      if (page.length === 0) return pkgs;
      params.start = String(Number(params.start) + Number(params.rows));
    }
  }

  /** _get_organization / _get_group: the `result` of organization_show / group_show. */
  async getOrganization(name: string): Promise<Json> {
    return (JSON.parse(await this.getContent(`${this.remoteBaseUrl}/api/3/action/organization_show?id=${name}`)) as { result: Json }).result;
  }
  async getGroup(id: string): Promise<Json> {
    return (JSON.parse(await this.getContent(`${this.remoteBaseUrl}/api/3/action/group_show?id=${id}`)) as { result: Json }).result;
  }
}
