/**
 * Scoped OAuth for PagerDuty apps (client credentials): the token is requested from the identity endpoint
 * with `as_account-{region}.{subdomain}` plus the read scopes the enabled resources need, kept in memory
 * and renewed before it expires (app tokens are not refreshed; a new one is requested).
 */
import { request } from 'undici';
import { AuthError, SyncError, toError } from '../errors.js';
import { scrub, type Logger } from '../logger.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  subdomain: string;
  region: 'us' | 'eu';
  tokenUrl: string;
}

export interface TokenProvider {
  /** A valid access token, requesting a new one when none is held or it is about to expire. */
  token(): Promise<string>;
  /** Forgets the held token (after a 401): the next `token()` asks for a new one. */
  invalidate(): void;
  /** The token held now, for scrubbing messages; null when none. */
  current(): string | null;
}

/** The OAuth read scopes each resource needs (PagerDuty's `x-pd-requires-scope`). */
export const RESOURCE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  teams: ['teams.read'],
  users: ['users.read'],
  escalation_policies: ['escalation_policies.read'],
  schedules: ['schedules.read'],
  priorities: ['priorities.read'],
  tags: ['tags.read'],
  services: ['services.read'],
  incidents: ['incidents.read'],
  log_entries: ['incidents.read'],
  oncalls: ['oncalls.read'],
  custom_fields: ['custom_fields.read'],
  // The analytics API is POST-only and asks for the write scope even to read.
  analytics: ['analytics.write'],
};

/** The scopes to request for a selection, sorted and without repeats. */
export function scopesFor(resources: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const r of resources) for (const s of RESOURCE_SCOPES[r] ?? []) out.add(s);
  return [...out].sort();
}

export interface TokenProviderOptions {
  credentials: ClientCredentials;
  scopes: readonly string[];
  logger?: Logger;
  now?: () => number;
}

/** Renew this long before expiry: 5 minutes, or a tenth of a short lifetime. */
function renewMargin(lifetimeMs: number): number {
  return Math.min(300_000, lifetimeMs / 10);
}

export function createTokenProvider(opts: TokenProviderOptions): TokenProvider {
  const now = opts.now ?? Date.now;
  const { credentials: c } = opts;
  const accountScope = `as_account-${c.region}.${c.subdomain}`;
  const requested = [accountScope, ...opts.scopes];
  let held: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      scope: requested.join(' '),
    });
    let status = 0;
    let text = '';
    try {
      const res = await request(c.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        headersTimeout: 15_000,
        bodyTimeout: 15_000,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new SyncError(
        `cannot reach the PagerDuty OAuth token endpoint ${c.tokenUrl}: ${toError(err).message}`,
      );
    }
    const secrets = [c.clientSecret];
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // described below
    }
    if (status < 200 || status >= 300 || typeof body.access_token !== 'string') {
      const said = [body.error_description, body.error].find((v): v is string => typeof v === 'string');
      const why = scrub(said ?? text.slice(0, 200), secrets);
      throw new AuthError(
        `PagerDuty refused the OAuth client credentials (${status}): ${why}; check PAGERDUTY_CLIENT_ID, PAGERDUTY_CLIENT_SECRET, PAGERDUTY_SUBDOMAIN and PAGERDUTY_REGION`,
        status === 0 ? 401 : status,
        false,
      );
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    held = { token: body.access_token, renewAt: now() + lifetimeMs - renewMargin(lifetimeMs) };
    const granted = new Set(typeof body.scope === 'string' ? body.scope.split(/\s+/) : requested);
    const missing = opts.scopes.filter((s) => !granted.has(s));
    if (missing.length > 0) {
      opts.logger?.warn(
        { missing },
        `the OAuth app was not granted ${missing.join(', ')}: resources that need them will be refused (403)`,
      );
    }
    opts.logger?.debug({ expiresInS: lifetimeMs / 1000 }, 'oauth token obtained');
    return held.token;
  }

  return {
    token: async () => {
      if (held && now() < held.renewAt) return held.token;
      // One request at a time: concurrent callers share the renewal.
      pending ??= fetchToken().finally(() => {
        pending = null;
      });
      return pending;
    },
    invalidate: () => {
      held = null;
    },
    current: () => held?.token ?? null,
  };
}
