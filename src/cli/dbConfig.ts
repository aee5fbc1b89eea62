import { parseConfig, type Config } from '../config.js';

/**
 * Commands that only touch the database (migrate, status) need no PagerDuty token: parse the config with a
 * placeholder token so the database variables are still validated the same way.
 */
export function parseConfigForDatabase(env: Record<string, string | undefined>): Config {
  const hasToken = env.PAGERDUTY_TOKEN !== undefined || env.PAGERDUTY_OAUTH_TOKEN !== undefined;
  return parseConfig(hasToken ? env : { ...env, PAGERDUTY_TOKEN: 'not-needed-for-this-command' });
}
