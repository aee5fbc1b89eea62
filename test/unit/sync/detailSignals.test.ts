import { describe, expect, it } from 'vitest';
import type { ResourceDef } from '../../../src/resources/define.js';
import { REGISTRY } from '../../../src/resources/index.js';
import { signalsBySource } from '../../../src/sync/detail.js';

const defs: readonly ResourceDef[] = REGISTRY;
const position = (name: string) => defs.findIndex((d) => d.name === name);

describe('detail signals', () => {
  it('come from a snapshot resource that runs before the one declaring them', () => {
    const bySource = signalsBySource(defs);
    expect([...bySource.keys()].sort()).toEqual(['escalation_policies', 'schedules', 'teams', 'users']);
    for (const [source, signals] of bySource) {
      expect(defs[position(source)]?.sync.kind, source).toBe('snapshot');
      for (const { target } of signals)
        expect(position(source), `${source} → ${target}`).toBeLessThan(position(target));
    }
  });

  it('a user item names its teams, and nothing when it has no teams list', () => {
    const teams = defs.find((d) => d.name === 'teams');
    const named = teams?.detailSignals?.find((s) => s.kind === 'named');
    if (named?.kind !== 'named') throw new Error('teams declares no named signal');
    expect(named.parents({ id: 'PU1', teams: [{ id: 'PT1', type: 'team_reference' }] })).toEqual(['PT1']);
    expect(named.parents({ id: 'PU1' })).toEqual([]);
  });
});
