import { randomBytes } from 'node:crypto';
import { ApiError, type ApiReply } from './errors.js';

/**
 * PagerDuty's identity endpoint for scoped OAuth apps (client credentials), as far as a sync needs it:
 * `POST /oauth/token` (form-encoded grant_type=client_credentials, client_id, client_secret, scope) answers
 * `{access_token, token_type: 'bearer', scope, expires_in}`. The scope must name the account
 * (`as_account-{region}.{subdomain}`); the token gets the requested scopes the app was granted. REST calls
 * with such a token are refused with 401 once it expired and with 403 naming the scope an endpoint needs
 * when the token lacks it.
 */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** Scopes the app was granted in PagerDuty (e.g. `incidents.read`). */
  scopes: string[];
}

export interface OAuthOptions {
  apps: OAuthApp[];
  subdomain: string;
  region?: 'us' | 'eu';
  /** Token lifetime; PagerDuty's app tokens last a day (86,400 s). */
  expiresInSeconds?: number;
}

interface Issued {
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
}

/** The scope an API path needs (PagerDuty's `x-pd-requires-scope` for the read endpoints a sync uses). */
export function requiredScope(method: string, path: string): string | null {
  if (path.startsWith('/analytics/')) return 'analytics.write';
  if (/custom_fields/.test(path)) return 'custom_fields.read';
  const first = /^\/([a-z_]+)/.exec(path)?.[1];
  if (!first) return null;
  if (first === 'log_entries') return 'incidents.read';
  const known = [
    'incidents',
    'services',
    'teams',
    'users',
    'escalation_policies',
    'schedules',
    'oncalls',
    'priorities',
    'tags',
  ];
  return method === 'GET' && known.includes(first) ? `${first}.read` : null;
}

function oauthError(status: number, error: string, description: string): ApiReply {
  return { status, body: { error, error_description: description } };
}

export class OAuthServer {
  readonly #apps: Map<string, OAuthApp>;
  readonly #issued = new Map<string, Issued>();
  readonly #account: string;
  readonly #lifetimeS: number;
  readonly #now: () => number;
  /** Tokens issued, in order (tests read how many were requested). */
  readonly log: { clientId: string; scope: string; at: number }[] = [];

  constructor(opts: OAuthOptions, now: () => number = Date.now) {
    this.#apps = new Map(opts.apps.map((a) => [a.clientId, a]));
    this.#account = `as_account-${opts.region ?? 'us'}.${opts.subdomain}`;
    this.#lifetimeS = opts.expiresInSeconds ?? 86_400;
    this.#now = now;
  }

  /** POST /oauth/token. */
  token(body: string, contentType: string | undefined): ApiReply {
    if (!(contentType ?? '').includes('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const app = this.#apps.get(form.get('client_id') ?? '');
    if (!app || app.clientSecret !== form.get('client_secret')) {
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (!requested.includes(this.#account)) {
      return oauthError(400, 'invalid_scope', `The scope must include ${this.#account}`);
    }
    const granted = requested.filter((s) => s === this.#account || app.scopes.includes(s));
    const token = `pdus+_${randomBytes(18).toString('base64url')}`;
    this.#issued.set(token, {
      clientId: app.clientId,
      scopes: new Set(granted),
      expiresAt: this.#now() + this.#lifetimeS * 1000,
    });
    this.log.push({ clientId: app.clientId, scope: granted.join(' '), at: this.#now() });
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'bearer',
        scope: granted.join(' '),
        expires_in: this.#lifetimeS,
      },
    };
  }

  /** Whether `token` is one of ours (other tokens are judged by the simulator's usual rules). */
  owns(token: string): boolean {
    return this.#issued.has(token);
  }

  /** Null when the request may go on; else the 401 (expired) or 403 (scope missing) to send. */
  check(token: string, method: string, path: string): ApiError | null {
    const t = this.#issued.get(token);
    if (!t || t.expiresAt <= this.#now()) return new ApiError(401, 2006, 'Authentication failed');
    const scope = requiredScope(method, path);
    if (scope && !t.scopes.has(scope)) {
      return new ApiError(403, 2010, 'Access Denied', [
        `The access token lacks the required scope ${scope}.`,
      ]);
    }
    return null;
  }
}
