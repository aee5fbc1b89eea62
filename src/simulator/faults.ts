import { z } from 'zod';
import { Random } from './random.js';

/** The kinds of trouble the simulator can cause, each counted in its stats. */
export type FaultKind = 'server_error' | 'reset' | 'truncated' | 'slow' | 'rate_limited' | 'bare_429';

export interface FaultConfig {
  /** Probability that a request gets a fault, 0..1. Default 0. */
  rate: number;
  /** Relative weights of the fault kinds when one is drawn. */
  mix: Record<'server_error' | 'reset' | 'truncated' | 'slow' | 'rate_limited', number>;
  /** Share of injected 429s sent bare: no headers, no body (PagerDuty warns this can happen). */
  bare429Share: number;
  /** Mean added latency per request, ms, and the ± jitter around it. */
  latencyMs: number;
  jitterMs: number;
  /** How long a `slow` answer stalls before its headers, ms. */
  slowMs: number;
}

export const DEFAULT_FAULTS: FaultConfig = {
  rate: 0,
  mix: { server_error: 3, reset: 2, truncated: 2, slow: 1, rate_limited: 2 },
  bare429Share: 0.5,
  latencyMs: 0,
  jitterMs: 0,
  slowMs: 3000,
};

/** Draws faults and latencies from a seeded stream so a fault pattern can be replayed. */
export class FaultInjector {
  private readonly rng: Random;
  config: FaultConfig;

  constructor(seed: number | string, config: Partial<FaultConfig> = {}) {
    this.rng = Random.derive(seed, 'faults');
    this.config = { ...DEFAULT_FAULTS, ...config, mix: { ...DEFAULT_FAULTS.mix, ...config.mix } };
  }

  update(patch: z.infer<typeof faultPatchSchema>): FaultConfig {
    this.config = { ...this.config, ...patch, mix: { ...this.config.mix, ...patch.mix } };
    return this.config;
  }

  latency(): number {
    const { latencyMs, jitterMs } = this.config;
    if (latencyMs <= 0 && jitterMs <= 0) return 0;
    return Math.max(0, latencyMs + (this.rng.next() * 2 - 1) * jitterMs);
  }

  draw(): FaultKind | null {
    if (this.config.rate <= 0 || !this.rng.chance(this.config.rate)) return null;
    const kinds = Object.keys(this.config.mix) as (keyof FaultConfig['mix'])[];
    const kind = this.rng.weighted(
      kinds,
      kinds.map((k) => this.config.mix[k]),
    );
    if (kind === 'rate_limited' && this.rng.chance(this.config.bare429Share)) return 'bare_429';
    return kind;
  }

  /** For a fault that cuts a body short: where to cut (a fraction of the body) and how. */
  cut(): { fraction: number; withLength: boolean } {
    return { fraction: 0.2 + this.rng.next() * 0.6, withLength: this.rng.chance(0.5) };
  }

  serverStatus(): number {
    return this.rng.pick([500, 502, 503, 504]);
  }
}

const weight = z.number().min(0).max(1000);

/** Validates a fault-settings patch from the /_sim/faults control endpoint. */
export const faultPatchSchema = z
  .object({
    rate: z.number().min(0).max(1),
    mix: z
      .object({ server_error: weight, reset: weight, truncated: weight, slow: weight, rate_limited: weight })
      .partial()
      .strict(),
    bare429Share: z.number().min(0).max(1),
    latencyMs: z.number().min(0).max(60_000),
    jitterMs: z.number().min(0).max(60_000),
    slowMs: z.number().min(0).max(120_000),
  })
  .partial()
  .strict();
