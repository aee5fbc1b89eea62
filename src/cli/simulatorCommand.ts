import { parseArgs } from 'node:util';
import { isPresetName, PRESETS, startSimulator, type Simulator } from '../simulator/index.js';
import { isValidTimeZone } from '../simulator/time.js';
import { UsageError } from './usageError.js';

export const SIMULATOR_USAGE = `usage: pd-warehouse simulator [options]

Serves a PagerDuty REST API look-alike (and an Events API v2 receiver) on 127.0.0.1 until stopped.

options:
  --port N              port to listen on (default: a free port)
  --host H              address to bind (default 127.0.0.1)
  --seed S              account seed; the same seed and preset give the same account (default 1)
  --preset P            ${Object.keys(PRESETS).join(' | ')} (default small)
  --incidents N         background incidents in the history (default: the preset's)
  --days D              history length in days, ending at the clock (default: the preset's)
  --lazy                generate incidents and log entries on request instead of at startup, for accounts of
                        up to millions of incidents (e.g. --preset large --incidents 1000000 --days 400);
                        the clock then cannot advance (--advance-every and /_sim/advance are refused), the
                        analytics API is off, and /_sim/truth holds only the counts
  --rpm R               requests per minute per token before 429s (default 960, PagerDuty's limit)
  --latency-ms L        added latency per request, ms (default 0)
  --jitter-ms J         ± jitter around the latency, ms (default 0)
  --fault-rate P        share of requests that get a fault: 5xx, reset, truncated JSON, slow, 429 (default 0)
  --token T             accept only this API token (default: any token)
  --time-zone Z         the account's time zone (default America/New_York)
  --advance-every S     advance the account's clock every S seconds (default: never)
  --advance-minutes M   minutes to advance each time (default: the same span as --advance-every)
`;

function num(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
  integer = true,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got '${raw}')`,
    );
  }
  return n;
}

/** `pd-warehouse simulator`: starts the look-alike and resolves once it has stopped on SIGINT/SIGTERM. */
export async function simulatorCommand(args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      preset: { type: 'string' },
      incidents: { type: 'string' },
      days: { type: 'string' },
      lazy: { type: 'boolean' },
      rpm: { type: 'string' },
      'latency-ms': { type: 'string' },
      'jitter-ms': { type: 'string' },
      'fault-rate': { type: 'string' },
      token: { type: 'string' },
      'time-zone': { type: 'string' },
      'advance-every': { type: 'string' },
      'advance-minutes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(SIMULATOR_USAGE);
    return 0;
  }
  const preset = values.preset ?? 'small';
  if (!isPresetName(preset))
    throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')} (got '${preset}')`);
  const timeZone = values['time-zone'];
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
    throw new UsageError(`--time-zone must be an IANA zone such as Europe/Berlin (got '${timeZone}')`);
  }
  const every = num('advance-every', values['advance-every'], 1, 86_400);
  const advanceMinutes =
    num('advance-minutes', values['advance-minutes'], 1, 525_600) ?? (every ? every / 60 : undefined);
  const lazy = values.lazy ?? false;
  if (lazy && every)
    throw new UsageError('--advance-every cannot be used with --lazy: the clock cannot advance');
  const seedRaw = values.seed ?? '1';
  const sim = await startSimulator({
    port: num('port', values.port, 0, 65_535),
    host: values.host,
    seed: /^\d+$/.test(seedRaw) ? Number(seedRaw) : seedRaw,
    preset,
    incidents: num('incidents', values.incidents, 1, 100_000_000),
    days: num('days', values.days, 1, 3650),
    lazy,
    rpm: num('rpm', values.rpm, 1, 1_000_000),
    tokens: values.token ? [values.token] : undefined,
    timeZone,
    faults: {
      rate: num('fault-rate', values['fault-rate'], 0, 1, false) ?? 0,
      latencyMs: num('latency-ms', values['latency-ms'], 0, 60_000, false) ?? 0,
      jitterMs: num('jitter-ms', values['jitter-ms'], 0, 60_000, false) ?? 0,
    },
  });
  out(`pagerduty simulator listening on ${sim.url}`);
  out(
    `preset ${preset}, seed ${seedRaw}: ${describeAccount(sim)}; clock ${new Date(sim.account.now).toISOString()}`,
  );
  out(`point a client at it: PAGERDUTY_API_URL=${sim.url} PAGERDUTY_TOKEN=${values.token ?? 'any-token'}`);
  out(
    `controls: GET ${sim.url}/_sim/truth, POST ${sim.url}/_sim/advance?minutes=60, GET ${sim.url}/_sim/stats`,
  );
  const timer =
    every && advanceMinutes
      ? setInterval(() => sim.advance(advanceMinutes), every * 1000).unref()
      : undefined;
  await waitForStop(sim, timer);
  out('simulator stopped');
  return 0;
}

/** The account's size. Lazy mode names only what it knows without planning every incident. */
function describeAccount(sim: Simulator): string {
  const { account } = sim;
  const people = `${account.activeServices().length} services, ${account.users.length} users`;
  if (account.lazy) return `${account.lazy.count} incidents generated lazily, ${people}`;
  const c = sim.truth().counts;
  return `${c.incidents} incidents, ${c.log_entries} log entries, ${people}`;
}

function waitForStop(sim: Simulator, timer: NodeJS.Timeout | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (timer) clearInterval(timer);
      void sim.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
