import { describe, expect, it } from 'vitest';
import { AuthError, HttpError, QuotaExhaustedError } from '../../../src/errors.js';
import { parseErrorBody } from '../../../src/pagerduty/errorBody.js';
import { buildSearch } from '../../../src/pagerduty/query.js';
import {
  interpretAnswer,
  interpretNetworkError,
  isOffsetCapError,
  type AttemptContext,
  type Outcome,
} from '../../../src/pagerduty/responses.js';

const TOKEN = 'u+s3cr3t-token-value';
const ctx: AttemptContext = { path: '/incidents', baseUrl: 'https://api.pagerduty.com', secrets: [TOKEN] };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function failure(outcome: Outcome): HttpError {
  if (outcome.kind !== 'fail') throw new Error(`expected a failure, got ${outcome.kind}`);
  return outcome.error;
}

describe('interpretAnswer: 2xx', () => {
  it('parses a JSON body', () => {
    const outcome = interpretAnswer(200, JSON_TYPE, '{"incidents":[],"more":false}', ctx);
    expect(outcome).toEqual({
      kind: 'ok',
      response: { status: 200, headers: JSON_TYPE, body: { incidents: [], more: false } },
    });
  });

  it('retries a truncated JSON body and a non-JSON content type; never parses garbage', () => {
    const cut = interpretAnswer(200, JSON_TYPE, '{"incidents":[{"id":"P1"', ctx);
    expect(cut).toMatchObject({ kind: 'retry', reason: 'SyntaxError', status: 200, rateLimited: false });
    const html = interpretAnswer(200, { 'content-type': 'text/html' }, '<html>maintenance</html>', ctx);
    expect(html).toMatchObject({ kind: 'retry', reason: 'not-json' });
  });
});

describe('interpretAnswer: retriable statuses', () => {
  it('5xx with an HTML body is retried, with a one-line detail', () => {
    const body =
      '<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1>\n<p>nginx</p></body></html>';
    const outcome = interpretAnswer(502, { 'content-type': 'text/html' }, body, ctx);
    expect(outcome).toMatchObject({
      kind: 'retry',
      reason: '502',
      status: 502,
      detail: '502 502 Bad Gateway',
    });
  });

  it('429 is a rate-limit retry and keeps the headers for the limiter', () => {
    const headers = { 'ratelimit-reset': '20', 'ratelimit-remaining': '0' };
    const outcome = interpretAnswer(
      429,
      headers,
      '{"error":{"message":"Rate Limit Exceeded","code":2020}}',
      ctx,
    );
    expect(outcome).toMatchObject({ kind: 'retry', rateLimited: true, headers, reason: '429' });
    expect(interpretAnswer(429, {}, '', ctx)).toMatchObject({ kind: 'retry', rateLimited: true });
  });

  it('a 429 whose reset is hours away is a spent quota: not retried, the reset kept', () => {
    const body =
      '{"error":{"message":"Analytics API Daily Quota Exceeded","code":2020,"errors":["resets at 00:00"]}}';
    const outcome = interpretAnswer(429, { 'ratelimit-reset': '7200' }, body, {
      ...ctx,
      method: 'POST',
      path: '/analytics/raw/incidents',
    });
    expect(outcome.kind).toBe('fail');
    const error = outcome.kind === 'fail' ? outcome.error : null;
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect(error).toMatchObject({ resetInMs: 7_200_000, status: 429 });
    expect(error?.message).toMatch(/^POST \/analytics\/raw\/incidents: .*quota .*spent .*resets in 2\.0 h$/);
    // Within the per-minute window it is the ordinary budget: wait and retry.
    expect(interpretAnswer(429, { 'ratelimit-reset': '60' }, body, ctx)).toMatchObject({ kind: 'retry' });
  });

  it('a 503 Retry-After is honoured as the server wait', () => {
    expect(interpretAnswer(503, { 'retry-after': '3' }, '', ctx)).toMatchObject({ retryAfterMs: 3000 });
  });
});

describe('interpretAnswer: fatal answers', () => {
  it('401 → AuthError with the fix-it message, and never the token', () => {
    const error = failure(
      interpretAnswer(
        401,
        JSON_TYPE,
        `{"error":{"message":"Authentication failed ${TOKEN}","code":2006}}`,
        ctx,
      ),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(
      'PagerDuty rejected the token (401): check PAGERDUTY_TOKEN, or use https://api.eu.pagerduty.com for an EU account (PAGERDUTY_API_URL)',
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(TOKEN);
  });

  it('401 on the EU URL points back at the US one', () => {
    const eu = { ...ctx, baseUrl: 'https://api.eu.pagerduty.com' };
    expect(failure(interpretAnswer(401, {}, '', eu)).message).toContain(
      'https://api.pagerduty.com for a US account',
    );
  });

  it('403 → AuthError naming the missing scope when the body names one', () => {
    const body = '{"error":{"message":"Forbidden","code":2010,"errors":["Missing scope: incidents.read"]}}';
    const error = failure(interpretAnswer(403, JSON_TYPE, body, ctx));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('"incidents.read" scope');
    expect(error.context).toMatchObject({ path: '/incidents', scope: 'incidents.read', status: 403 });
    const vague = failure(
      interpretAnswer(403, JSON_TYPE, '{"error":{"message":"Access Denied","code":2010}}', ctx),
    );
    expect(vague.message).toMatch(/^PagerDuty refused GET \/incidents \(403\): the token lacks a permission/);
  });

  it('400 code 2002 is distinguishable: the offset cap', () => {
    const body =
      '{"error":{"message":"Arguments Caused Error","code":2002,"errors":["Offset+limit exceeds maximum allowed value of 10000."]}}';
    const error = failure(interpretAnswer(400, JSON_TYPE, body, ctx));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.retriable).toBe(false);
    expect(error.context).toMatchObject({ code: 2002, offsetCap: true });
    expect(isOffsetCapError(error)).toBe(true);
    expect(isOffsetCapError(failure(interpretAnswer(400, JSON_TYPE, '{"error":{"code":2001}}', ctx)))).toBe(
      false,
    );
  });

  it('other 4xx carry PagerDuty code and message, whatever the body shape', () => {
    const classic = failure(
      interpretAnswer(
        400,
        JSON_TYPE,
        '{"error":{"message":"Invalid Input Provided","code":2001,"errors":["since is invalid."]}}',
        ctx,
      ),
    );
    expect(classic.message).toBe(
      'GET /incidents failed: PagerDuty answered 400: code 2001: Invalid Input Provided: since is invalid.',
    );
    expect(classic.context).toMatchObject({ code: 2001, status: 400, path: '/incidents' });
    const list = failure(
      interpretAnswer(400, JSON_TYPE, '{"error":["links should have at most 50 item(s)"]}', ctx),
    );
    expect(list.message).toContain('links should have at most 50 item(s)');
    const html = failure(
      interpretAnswer(404, { 'content-type': 'text/html' }, '<html><title>Not Found</title></html>', ctx),
    );
    expect(html.message).toBe('GET /incidents failed: PagerDuty answered 404: Not Found');
    expect(failure(interpretAnswer(404, JSON_TYPE, '{}', ctx)).message).toBe(
      'GET /incidents failed: PagerDuty answered 404',
    );
    expect(failure(interpretAnswer(402, JSON_TYPE, '{"error":{"code":2014}}', ctx)).retriable).toBe(false);
  });

  it('a redirect is fatal and says to check the URL', () => {
    const error = failure(interpretAnswer(301, { location: 'https://api.pagerduty.com/incidents' }, '', ctx));
    expect(error.message).toContain('check PAGERDUTY_API_URL');
  });
});

describe('parseErrorBody', () => {
  it('reads every shape seen in real payloads', () => {
    expect(
      parseErrorBody('{"error":{"message":"Invalid Schedule","code":3001,"errors":{"foo":["bar"]}}}'),
    ).toEqual({
      code: 3001,
      message: 'Invalid Schedule',
      errors: ['foo: bar'],
    });
    expect(parseErrorBody('{"error":{"message":"chill out"}}')).toEqual({
      code: null,
      message: 'chill out',
      errors: [],
    });
    expect(parseErrorBody('')).toEqual({ code: null, message: null, errors: [] });
    expect(parseErrorBody('[1]')).toEqual({ code: null, message: null, errors: [] });
  });
});

describe('interpretNetworkError', () => {
  it('retries resets, socket closes and timeouts', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(interpretNetworkError(reset, ctx)).toMatchObject({
      kind: 'retry',
      reason: 'ECONNRESET',
      status: null,
    });
    const closed = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(interpretNetworkError(closed, ctx)).toMatchObject({ kind: 'retry', reason: 'UND_ERR_SOCKET' });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(interpretNetworkError(timeout, ctx)).toMatchObject({ kind: 'retry', reason: 'TimeoutError' });
  });

  it('a wrong host is fatal at once, scrubbed', () => {
    const dns = Object.assign(new Error(`getaddrinfo ENOTFOUND api.pagerduty.cmo ${TOKEN}`), {
      code: 'ENOTFOUND',
    });
    const error = failure(interpretNetworkError(dns, ctx));
    expect(error.message).toMatch(
      /^GET \/incidents failed: ENOTFOUND: getaddrinfo ENOTFOUND api\.pagerduty\.cmo/,
    );
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('buildSearch', () => {
  it('repeats bracketed keys, lower-cases booleans, drops undefined', () => {
    const search = buildSearch({
      'statuses[]': ['triggered', 'acknowledged'],
      total: true,
      is_overview: false,
      limit: 100,
      since: undefined,
      time_zone: 'UTC',
    });
    expect(search).toBe(
      '?statuses%5B%5D=triggered&statuses%5B%5D=acknowledged&total=true&is_overview=false&limit=100&time_zone=UTC',
    );
    expect(new URLSearchParams(search).getAll('statuses[]')).toEqual(['triggered', 'acknowledged']);
    expect(buildSearch({})).toBe('');
  });

  it('refuses a list under a key without [] (PagerDuty would silently ignore it)', () => {
    expect(() => buildSearch({ statuses: ['triggered'] })).toThrow(/\[\] suffix/);
  });
});
