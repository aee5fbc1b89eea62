/**
 * The error taxonomy. Everything the sync throws on purpose is a SyncError subclass carrying context and
 * `cause`; the CLI prints `userMessage` as one line for the ones a user can fix (config, auth, lock, data).
 */
export class SyncError extends Error {
  override readonly name: string = 'SyncError';
  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad configuration (env or flags): exit code 2, nothing touched. */
export class ConfigError extends SyncError {
  override readonly name = 'ConfigError';
}

/** An HTTP answer we will not retry, or ran out of retries for. */
export class HttpError extends SyncError {
  override readonly name: string = 'HttpError';
  constructor(
    message: string,
    readonly status: number,
    readonly retriable: boolean,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, { ...context, status }, options);
  }
}

/** 401/403: the whole run stops at once; the message says what to fix. */
export class AuthError extends HttpError {
  override readonly name = 'AuthError';
}

/** 429 with the wait the API asked for (ms), when it said. */
export class RateLimitError extends HttpError {
  override readonly name = 'RateLimitError';
  constructor(
    readonly retryAfterMs: number | null,
    context: Record<string, unknown> = {},
  ) {
    super('rate limited (429)', 429, true, context);
  }
}

/**
 * A 429 whose reset is hours away (the analytics API's daily quota): not worth waiting for inside a run.
 * The caller keeps what it committed and resumes on a later run.
 */
export class QuotaExhaustedError extends HttpError {
  override readonly name = 'QuotaExhaustedError';
  constructor(
    message: string,
    /** How long until the quota resets, ms. */
    readonly resetInMs: number,
    context: Record<string, unknown> = {},
  ) {
    super(message, 429, false, context);
  }
}

/** One record failed validation; skippable, counted. */
export class RecordSchemaError extends SyncError {
  override readonly name = 'RecordSchemaError';
}

/** Wraps anything thrown into an Error, keeping the original as `cause`. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value), { cause: value });
}
