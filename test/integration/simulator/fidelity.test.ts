/**
 * Fidelity: every recorded PagerDuty payload in ../shared (real-payloads and pd-examples) is compared,
 * over real HTTP, with what the simulator serves for the same kind of object. Each fixture field must
 * exist on the simulator's objects with a compatible JSON type; values are not compared. The mapping,
 * the skipped kinds and the known gaps live in fidelityMap.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { compareShape, isJsonObject, type JsonObject, type ShapeProblem } from '../../helpers/jsonShape.js';
import { SHARED_MISSING_REASON, sharedDir } from '../../helpers/shared.js';
import {
  KNOWN_GAPS,
  RULES,
  SKIPPED_KINDS,
  type SampleIds,
  type SimRequest,
  type Target,
} from './fidelityMap.js';

/** Object levels compared below each item: its fields, their references, and one more. */
const MAX_DEPTH = 3;
const NOW = Date.UTC(2024, 5, 14, 12, 0, 0);

/** `<source dir>/<file>` for every fixture file; empty when ../shared is absent. */
function fixtureFiles(shared: string | undefined): string[] {
  if (!shared) return [];
  const real = join(shared, 'fixtures', 'real-payloads');
  const sources = readdirSync(real, { withFileTypes: true }).filter((d) => d.isDirectory());
  const files = sources.flatMap((d) =>
    readdirSync(join(real, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d.name}/${f}`),
  );
  const examples = readdirSync(join(shared, 'research', 'pd-examples')).filter((f) => f.endsWith('.json'));
  return [...files, ...examples.map((f) => `pd-examples/${f}`)].sort();
}

function readFixture(shared: string, file: string): unknown {
  const path = file.startsWith('pd-examples/')
    ? join(shared, 'research', file)
    : join(shared, 'fixtures', 'real-payloads', file);
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

const PAGE_KEYS = new Set(['limit', 'offset', 'more', 'total', 'cursor', 'next_cursor']);

/** Splits a fixture into the objects to compare and its envelope keys (limit/offset/more/total/cursor). */
function splitFixture(body: unknown, target: Target): { items: unknown[]; envelope: JsonObject } {
  if (Array.isArray(body)) return { items: body as unknown[], envelope: {} };
  if (target.key === '' || !isJsonObject(body)) return { items: [body], envelope: {} };
  const dataKeys = Object.keys(body).filter((k) => !PAGE_KEYS.has(k));
  const data = dataKeys.length === 1 && !('id' in body) ? body[dataKeys[0] ?? ''] : undefined;
  const envelope = Object.fromEntries(Object.entries(body).filter(([k]) => PAGE_KEYS.has(k)));
  if (Array.isArray(data)) return { items: data as unknown[], envelope };
  if (isJsonObject(data)) return { items: [data], envelope };
  return { items: [body], envelope: {} };
}

function skippedKind(file: string) {
  return SKIPPED_KINDS.find((k) => k.files.test(file));
}

function targetOf(file: string): Target | undefined {
  return RULES.find(([re]) => re.test(file))?.[1];
}

function covers(gapPath: string, path: string): boolean {
  return (
    gapPath === '' || path === gapPath || path.startsWith(`${gapPath}.`) || path.startsWith(`${gapPath}[`)
  );
}

/** The KNOWN_GAPS entry and path explaining a problem, as `<files> <path>`, or undefined. */
function gapFor(file: string, p: ShapeProblem): string | undefined {
  for (const g of KNOWN_GAPS) {
    const path = g.files.test(file) ? g.paths.find((gp) => covers(gp, p.path)) : undefined;
    if (path !== undefined) return `${g.files.source} ${path}`;
  }
  return undefined;
}

const ALL_GAPS = KNOWN_GAPS.flatMap((g) =>
  g.paths.map((path) => ({ files: g.files, id: `${g.files.source} ${path}` })),
);

/** Fixture items whose `type` the simulator never serves (log entries: the type decides the shape). */
function unservedTypes(items: unknown[], objects: unknown[]): ShapeProblem[] {
  const served = new Set(objects.map((o) => (isJsonObject(o) ? o.type : undefined)));
  return items.flatMap((item) => {
    const type = isJsonObject(item) ? item.type : undefined;
    return typeof type === 'string' && !served.has(type)
      ? [{ path: 'type', problem: `the simulator never serves type ${type}` }]
      : [];
  });
}

const shared = sharedDir();
const files = fixtureFiles(shared);
const compared = files.filter((f) => !skippedKind(f) && targetOf(f));

const TITLE = 'simulator fidelity against recorded PagerDuty payloads';

describe.skipIf(!shared)(shared ? TITLE : `${TITLE} (skipped: ${SHARED_MISSING_REASON})`, () => {
  const sims: Partial<Record<NonNullable<SimRequest['server']>, Simulator>> = {};
  const cache = new Map<string, Promise<{ status: number; body: unknown }>>();
  const usedGaps = new Set<string>();
  const ran = new Set<string>();
  let ids: SampleIds;

  beforeAll(async () => {
    sims.main = await startSimulator({ preset: 'small', seed: 1, now: NOW });
    sims.plan = await startSimulator({ preset: 'small', seed: 1, now: NOW, abilities: { teams: false } });
    sims.storm = await startSimulator({ preset: 'small', seed: 1, now: NOW });
    sims.storm.storm(3600);
    const a = sims.main.account;
    const revealed = a.incidents.filter((i) => i.revealed > 0);
    const step = Math.max(1, Math.floor(revealed.length / 30));
    ids = {
      incidents: revealed.filter((_, i) => i % step === 0 || i >= revealed.length - 10).map((i) => i.id),
      services: a.services.filter((s) => s.deletedAt === null).map((s) => s.id),
      teams: a.teams.map((t) => t.id),
      users: a.users.map((u) => u.id),
      tags: a.tags.map((t) => t.id),
    };
  });

  afterAll(async () => {
    await Promise.all(Object.values(sims).map((s) => s.close()));
  });

  function get(req: SimRequest): Promise<{ status: number; body: unknown }> {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const key = `${req.server ?? 'main'} ${req.auth === false ? 'anon' : 'auth'} ${req.path} ${body ?? ''}`;
    let hit = cache.get(key);
    if (!hit) {
      const sim = sims[req.server ?? 'main'];
      if (!sim) throw new Error(`simulator ${req.server} not started`);
      const headers: Record<string, string> = { accept: 'application/vnd.pagerduty+json;version=2' };
      if (req.auth !== false) headers.authorization = 'Token token=fidelity';
      if (body !== undefined) headers['content-type'] = 'application/json';
      const init = body === undefined ? { headers } : { method: 'POST', headers, body };
      hit = fetch(`${sim.url}${req.path}`, init).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
      cache.set(key, hit);
    }
    return hit;
  }

  /** The simulator's objects of the target's kind, and its pages (for the envelope keys). */
  async function samples(target: Target): Promise<{ objects: unknown[]; pages: unknown[] }> {
    const answers = await Promise.all(target.requests(ids).map(get));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(target.status);
    const bodies = answers.map((a) => a.body);
    if (target.key === '') return { objects: bodies, pages: [] };
    const values = bodies.map((b) => (isJsonObject(b) ? b[target.key] : undefined));
    const objects = values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
    return { objects, pages: bodies.filter((_, i) => Array.isArray(values[i])) };
  }

  it.each(compared)('%s has the fields and types the simulator serves', async (file) => {
    const target = targetOf(file);
    if (!shared || !target) throw new Error('unreachable: filtered above');
    ran.add(file);
    const { items, envelope } = splitFixture(readFixture(shared, file), target);
    const { objects, pages } = await samples(target);
    expect(objects.length, `${target.label} served nothing to compare with`).toBeGreaterThan(0);
    const problems = items.flatMap((item) => compareShape(item, objects, MAX_DEPTH));
    if (target.byType) problems.push(...unservedTypes(items, objects));
    if (Object.keys(envelope).length > 0) {
      expect(pages.length, `${target.label} is not a list page`).toBeGreaterThan(0);
      const envProblems = compareShape(envelope, pages, 1);
      problems.push(...envProblems.map((p) => ({ ...p, path: `envelope.${p.path}` })));
    }
    const unexplained: string[] = [];
    for (const p of problems) {
      const gap = gapFor(file, p);
      if (gap) usedGaps.add(gap);
      else unexplained.push(`${p.path || '(item)'}: ${p.problem}`);
    }
    expect([...new Set(unexplained)], `${file} vs ${target.label}`).toEqual([]);
  });

  for (const kind of SKIPPED_KINDS) {
    const matching = files.filter((f) => skippedKind(f) === kind);
    it.skip(`${kind.kind} (${matching.length} file(s)): not served by the simulator: ${kind.reason}`, () => {});
  }

  it('maps every fixture file to an endpoint or a skipped kind', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => !skippedKind(f) && !targetOf(f))).toEqual([]);
  });

  it('still needs every KNOWN_GAPS entry (of the files compared in this run)', () => {
    const checkable = ALL_GAPS.filter((g) => [...ran].some((f) => g.files.test(f)));
    expect(checkable.filter((g) => !usedGaps.has(g.id)).map((g) => g.id)).toEqual([]);
  });
});
