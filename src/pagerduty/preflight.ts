import { AuthError } from '../errors.js';
import type { PagerDutyClient } from './http.js';

/**
 * One cheap request (`GET /services?limit=1`) that fails fast when PagerDuty rejects the token (401),
 * before anything slow or lasting happens (creating the embedded database takes seconds). Any other
 * answer, a 403 on this endpoint included, is left for the run itself to meet and report.
 */
export async function checkToken(client: Pick<PagerDutyClient, 'get'>): Promise<void> {
  try {
    await client.get('/services', { limit: 1 });
  } catch (err) {
    if (err instanceof AuthError && err.status === 401) throw err;
  }
}
