import { describe, expect, it } from 'vitest';
import { Account } from '../../../src/simulator/account.js';
import { computeTruth } from '../../../src/simulator/truth.js';
import { isValidTimeZone } from '../../../src/simulator/time.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const DAY = 86_400_000;

describe('account generator', () => {
  it('is deterministic for a seed and a preset, and differs across seeds', () => {
    const a = computeTruth(new Account({ seed: 42, preset: 'small', now: NOW }));
    const b = computeTruth(new Account({ seed: 42, preset: 'small', now: NOW }));
    const c = computeTruth(new Account({ seed: 43, preset: 'small', now: NOW }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.incidents[0]?.id).not.toBe(a.incidents[0]?.id);
  });

  it('small: about 300 incidents over 120 days on 3 services', () => {
    const acc = new Account({ seed: 1, preset: 'small', now: NOW });
    expect(acc.incidents.length).toBe(300);
    expect(acc.services).toHaveLength(3);
    const first = acc.incidents[0]?.createdAt ?? 0;
    expect(NOW - first).toBeLessThanOrEqual(120 * DAY);
    expect(NOW - first).toBeGreaterThan(100 * DAY);
  });

  it('large: about 5,000 incidents over 400 days on 20 services', () => {
    const acc = new Account({ seed: 1, preset: 'large', now: NOW });
    expect(acc.incidents.length).toBe(5000);
    expect(acc.services).toHaveLength(20);
    expect(NOW - (acc.incidents[0]?.createdAt ?? 0)).toBeGreaterThan(380 * DAY);
  });

  it('burst: 25,000 incidents inside one UTC day, so a one-day window is over the 10,000 cap', () => {
    const acc = new Account({ seed: 1, preset: 'burst', now: NOW });
    const perDay = new Map<number, number>();
    for (const i of acc.incidents) {
      const d = Math.floor(i.createdAt / DAY);
      perDay.set(d, (perDay.get(d) ?? 0) + 1);
    }
    const busiest = Math.max(...perDay.values());
    expect(busiest).toBeGreaterThanOrEqual(25_000);
    // Every 24-hour window that contains the whole storm is over the cap, wherever it starts.
    const storm = acc.incidents.filter((i) => perDay.get(Math.floor(i.createdAt / DAY)) === busiest);
    const span = (storm.at(-1)?.createdAt ?? 0) - (storm[0]?.createdAt ?? 0);
    expect(span).toBeLessThan(DAY);
  });

  it('sorts incidents by creation, numbers them in that order, and keeps ids unique', () => {
    const acc = new Account({ seed: 5, preset: 'large', now: NOW });
    const ids = new Set(acc.incidents.map((i) => i.id));
    expect(ids.size).toBe(acc.incidents.length);
    for (let k = 1; k < acc.incidents.length; k++) {
      const prev = acc.incidents[k - 1];
      const cur = acc.incidents[k];
      expect(cur && prev && cur.createdAt >= prev.createdAt && cur.number > prev.number).toBe(true);
    }
  });
});

describe('reference data', () => {
  const acc = new Account({ seed: 9, preset: 'large', now: NOW });

  it('has services whose names need normalising, some unicode, and descriptions with links', () => {
    const names = acc.services.map((s) => s.name);
    expect(names).toContain('Webshop API');
    expect(names).toContain('payments-worker (EU)');
    expect(names.some((n) => /[^\x20-\x7e]/.test(n))).toBe(true);
    for (const s of acc.services) expect(s.description).toMatch(/https:\/\/(github|gitlab)\.com\//);
    expect(acc.services.some((s) => /runbook/i.test(s.description) && /grafana/.test(s.description))).toBe(
      true,
    );
  });

  it('has users with emails and valid time zones, teams with members, policies owned by teams', () => {
    for (const u of acc.users) {
      expect(u.email).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(isValidTimeZone(u.timeZone)).toBe(true);
    }
    expect(acc.teams.every((t) => t.members.length > 0)).toBe(true);
    expect(acc.escalationPolicies.every((ep) => ep.teamIds.every((t) => acc.byId.teams.has(t)))).toBe(true);
    expect(acc.escalationPolicies.every((ep) => ep.teamIds.length > 0)).toBe(true);
  });

  it('has priorities P1-P5 and key:value tags only on users, teams and escalation policies', () => {
    expect(acc.priorities.map((p) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    const labels = acc.tags.map((t) => t.label);
    expect(labels.some((l) => l.startsWith('service:'))).toBe(true);
    expect(labels.some((l) => l.startsWith('team:'))).toBe(true);
    expect(labels).toContain('env:prod');
    expect(labels.some((l) => !l.includes(':'))).toBe(true);
    for (const t of acc.tags) {
      for (const id of t.userIds) expect(acc.byId.users.has(id)).toBe(true);
      for (const id of t.teamIds) expect(acc.byId.teams.has(id)).toBe(true);
      for (const id of t.escalationPolicyIds) expect(acc.byId.escalationPolicies.has(id)).toBe(true);
    }
  });
});

describe('incident lifecycles', () => {
  const acc = new Account({ seed: 11, preset: 'large', now: NOW });

  it('run trigger → assignment → … → resolve, in time order, with every implied log entry type', () => {
    const types = new Set<string>();
    for (const inc of acc.incidents) {
      const ev = inc.events;
      expect(ev[0]?.type).toBe('trigger_log_entry');
      expect(ev[0]?.at).toBe(inc.createdAt);
      expect(ev[1]?.type).toBe('assign_log_entry');
      for (let k = 1; k < ev.length; k++) expect((ev[k]?.at ?? 0) >= (ev[k - 1]?.at ?? 0)).toBe(true);
      expect(ev.at(-1)?.type).toBe('resolve_log_entry');
      for (const e of ev) types.add(e.type);
    }
    for (const t of [
      'trigger_log_entry',
      'assign_log_entry',
      'notify_log_entry',
      'escalate_log_entry',
      'acknowledge_log_entry',
      'unacknowledge_log_entry',
      'annotate_log_entry',
      'priority_change_log_entry',
      'urgency_change_log_entry',
      'resolve_log_entry',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('has open incidents, both urgencies, null priorities, several acks and reassignments', () => {
    const states = acc.incidents.map((i) => i.state);
    expect(states.some((s) => s.status === 'triggered' || s.status === 'acknowledged')).toBe(true);
    expect(states.some((s) => s.urgency === 'low')).toBe(true);
    expect(states.some((s) => s.urgency === 'high')).toBe(true);
    expect(states.some((s) => s.priorityId === null)).toBe(true);
    expect(
      acc.incidents.some((i) => i.events.filter((e) => e.type === 'acknowledge_log_entry').length > 1),
    ).toBe(true);
    expect(states.some((s) => s.reassignments > 0)).toBe(true);
    expect(states.some((s) => s.escalations > 0)).toBe(true);
  });

  it('keeps first-ack time from the log while dropping acknowledgements on resolve', () => {
    let checked = 0;
    for (const inc of acc.incidents) {
      const acks = inc.events.filter((e) => e.type === 'acknowledge_log_entry' && e.at <= acc.now);
      expect(inc.state.firstAckAt).toBe(acks[0]?.at ?? null);
      if (inc.state.status === 'resolved') {
        expect(inc.state.acknowledgements).toEqual([]);
        expect(inc.state.assignments).toEqual([]);
        expect(inc.state.resolvedAt).not.toBeNull();
        if (acks.length > 0) checked++;
      }
      if (inc.state.status === 'acknowledged') expect(inc.state.acknowledgements.length).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('reveals only events up to the clock', () => {
    for (const r of acc.log) expect(r.event.at).toBeLessThanOrEqual(acc.now);
    const future = acc.incidents.flatMap((i) => i.events.slice(i.revealed));
    for (const e of future) expect(e.at).toBeGreaterThan(acc.now);
    const revealed = acc.incidents.reduce((n, i) => n + i.revealed, 0);
    expect(acc.log.length).toBe(revealed);
  });
});
