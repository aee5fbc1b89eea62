/** PagerDuty's error bodies, as the real API sends them. */
export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly apiMessage: string,
    readonly errors?: string[],
  ) {
    super(apiMessage);
  }

  reply(): ApiReply {
    const error: Record<string, unknown> = { message: this.apiMessage, code: this.code };
    if (this.errors) error.errors = this.errors;
    return { status: this.status, body: { error } };
  }
}

export const invalidInput = (...errors: string[]) =>
  new ApiError(400, 2001, 'Invalid Input Provided', errors);

export const offsetCap = () =>
  new ApiError(400, 2002, 'Arguments Caused Error', [
    'Offset+limit exceeds maximum allowed value of 10000. Please try to refine your search to reduce the returned set of records below this number, like adding a date range.',
  ]);

export const notFound = () => new ApiError(404, 2100, 'Not Found');

export const authFailed = () => new ApiError(401, 2006, 'Authentication failed');

export const missingAbility = (ability: string) =>
  new ApiError(402, 2014, 'Account does not have the abilities to perform the action', [
    `The account is missing the '${ability}' ability.`,
  ]);

export const rateLimited = () => new ApiError(429, 2020, 'Rate Limit Exceeded');

/** The cap on classic pagination: offset + limit may not exceed this. */
export const OFFSET_CAP = 10_000;

/**
 * The analytics daily quota is spent. PagerDuty documents no body for this case; the simulator answers
 * 429 with the rate-limit code 2020 and a message naming the quota, so a client can tell it from the
 * per-minute limit (whose reset is seconds away, this one's at the next UTC midnight).
 */
export const analyticsQuotaExceeded = (limit: number, resetAt: string) =>
  new ApiError(429, 2020, 'Analytics API Daily Quota Exceeded', [
    `The daily quota of ${limit} analytics requests for this API key is exhausted; it resets at ${resetAt}.`,
  ]);
