import { describe, expect, it } from 'vitest';
import { AuthError, HttpError } from '../../../src/errors.js';
import { checkToken } from '../../../src/pagerduty/preflight.js';

const answering = (error?: Error) => ({
  get: (path: string, query?: Record<string, unknown>) => {
    expect([path, query]).toEqual(['/services', { limit: 1 }]);
    return error
      ? Promise.reject(error)
      : Promise.resolve({ status: 200, body: { services: [] }, headers: {} });
  },
});

describe('checkToken', () => {
  it('passes when PagerDuty answers', async () => {
    await expect(checkToken(answering())).resolves.toBeUndefined();
  });

  it('throws the 401 as it came: the token is wrong', async () => {
    const rejected = new AuthError('PagerDuty rejected the token (401): check PAGERDUTY_TOKEN', 401, false);
    await expect(checkToken(answering(rejected))).rejects.toBe(rejected);
  });

  it('leaves anything else (a 403 on this endpoint, a 5xx) to the run', async () => {
    await expect(
      checkToken(answering(new AuthError('no services.read', 403, false))),
    ).resolves.toBeUndefined();
    await expect(checkToken(answering(new HttpError('503', 503, true)))).resolves.toBeUndefined();
  });
});
