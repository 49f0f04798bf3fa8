// The operator SDK: holds the operator's private key, gets and refreshes access tokens (RFC 7523), calls the API.
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK, type CryptoKey, type JWK } from 'jose';

export interface OperatorCredentials {
  /** the operator id the platform assigned (op_...) */
  operatorId: string;
  /** the private JWK whose public half is registered with the platform (ES256 or EdDSA), with its kid */
  privateJwk: JWK;
}

export interface OperatorClientOptions extends OperatorCredentials {
  /** the platform's base URL, e.g. https://data.example.gov.cn */
  baseUrl: string;
  /** seconds before expiry at which a token is refreshed */
  refreshMarginSeconds?: number;
  fetch?: typeof fetch;
}

/** An API error with the platform's problem+json (or OAuth) body. */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export class OperatorClient {
  private token: { value: string; expiresAt: number } | undefined;
  private key: Promise<CryptoKey> | undefined;
  private readonly fetch: typeof fetch;
  private clockOffset: number | undefined;

  constructor(private readonly options: OperatorClientOptions) {
    if (!options.privateJwk.kid) throw new TypeError('the private JWK needs its kid');
    if (!('d' in options.privateJwk)) throw new TypeError('a private JWK is needed to sign client assertions');
    this.fetch = options.fetch ?? fetch;
  }

  /**
   * The platform's clock minus ours, in ms (±0.5 s: HTTP dates have whole seconds), from the last answer's Date
   * header; undefined before any answer. Lets the CLI tell which job a submission whose answer was lost created.
   */
  get serverClockOffsetMs(): number | undefined {
    return this.clockOffset;
  }

  private noteDate(res: Response): void {
    const date = Date.parse(res.headers.get('date') ?? '');
    if (Number.isFinite(date)) this.clockOffset = date + 500 - Date.now();
  }

  private get alg(): 'ES256' | 'EdDSA' {
    return this.options.privateJwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
  }

  /** A fresh client assertion: single use (random jti), 60 seconds, for this platform's token endpoint only. */
  async clientAssertion(): Promise<string> {
    this.key ??= importJWK(this.options.privateJwk, this.alg) as Promise<CryptoKey>;
    return new SignJWT({})
      .setProtectedHeader({ alg: this.alg, kid: this.options.privateJwk.kid!, typ: 'JWT' })
      .setIssuer(this.options.operatorId)
      .setSubject(this.options.operatorId)
      .setAudience(`${this.options.baseUrl.replace(/\/+$/, '')}/auth/token`)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(await this.key);
  }

  /** A valid access token, fetched or refreshed as needed. Throws PlatformError when the platform refuses. */
  async accessToken(): Promise<string> {
    const margin = (this.options.refreshMarginSeconds ?? 60) * 1000;
    if (this.token && this.token.expiresAt - margin > Date.now()) return this.token.value;
    const res = await this.fetch(`${this.options.baseUrl.replace(/\/+$/, '')}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await this.clientAssertion(),
      }),
    });
    this.noteDate(res);
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) {
      throw new PlatformError(res.status, body.error ?? 'token_refused', body.error_description ?? `token request failed (${res.status})`, body);
    }
    this.token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 60) * 1000 };
    return this.token.value;
  }

  /** Calls the API with a bearer token; JSON in and out. Throws PlatformError for any non-2xx answer. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(`${this.options.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.noteDate(res);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // a proxy's HTML error page, or an answer cut short: the status tells what happened
      if (res.ok) throw new PlatformError(res.status, 'BAD_RESPONSE', `the answer to ${method} ${path} is not JSON`, undefined);
    }
    if (!res.ok) {
      const problem = (parsed ?? {}) as { code?: string; detail?: string };
      throw new PlatformError(res.status, problem.code ?? 'HTTP_ERROR', problem.detail ?? `request failed (${res.status})`, parsed);
    }
    return parsed as T;
  }
}
