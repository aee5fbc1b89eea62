/**
 * Structural comparison of a recorded PagerDuty payload with what the simulator serves: does every
 * field of the fixture exist on the simulator's objects of the same kind, with a compatible JSON
 * type? Values are never compared, only presence and type.
 */

export type JsonType = 'null' | 'string' | 'number' | 'boolean' | 'object' | 'array';

/** One difference, at a normalised path such as `assignments[].assignee.summary`. */
export interface ShapeProblem {
  path: string;
  problem: string;
}

export type JsonObject = Record<string, unknown>;

export function jsonType(v: unknown): JsonType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  return 'object';
}

export function isJsonObject(v: unknown): v is JsonObject {
  return jsonType(v) === 'object';
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Compares `fixture` with `samples`, simulator values of the same kind. A field counts as present
 * when at least one sample has it; a type is compatible when one sample's value has that type.
 * `null` on either side is compatible with anything (PagerDuty fields are nullable). Objects that
 * carry a `type` (log entries, references, channels) are compared with the samples of the same
 * `type` when the simulator has any. Arrays compare their elements with the samples' elements and
 * do not count as a level; `maxDepth` counts object levels below the item itself.
 */
export function compareShape(
  fixture: unknown,
  samples: readonly unknown[],
  maxDepth: number,
): ShapeProblem[] {
  const out = new Map<string, ShapeProblem>();
  walk(fixture, samples, '', 0, maxDepth, out);
  return [...out.values()];
}

function walk(
  fixture: unknown,
  samples: readonly unknown[],
  path: string,
  depth: number,
  maxDepth: number,
  out: Map<string, ShapeProblem>,
): void {
  const fixtureType = jsonType(fixture);
  const present = samples.filter((s) => jsonType(s) !== 'null');
  if (fixtureType === 'null' || present.length === 0) return;
  const same = present.filter((s) => jsonType(s) === fixtureType);
  if (same.length === 0) {
    const simTypes = [...new Set(present.map(jsonType))].join('|');
    add(out, path, `type: fixture has ${fixtureType}, simulator has ${simTypes}`);
    return;
  }
  if (Array.isArray(fixture)) {
    walkArray(fixture, same, path, depth, maxDepth, out);
    return;
  }
  if (isJsonObject(fixture) && depth < maxDepth)
    walkObject(fixture, same.filter(isJsonObject), path, depth, maxDepth, out);
}

function walkArray(
  fixture: readonly unknown[],
  same: readonly unknown[],
  path: string,
  depth: number,
  maxDepth: number,
  out: Map<string, ShapeProblem>,
): void {
  if (fixture.length === 0) return;
  const elements = same.flatMap((s) => (Array.isArray(s) ? (s as unknown[]) : []));
  const itemPath = `${path}[]`;
  if (elements.length === 0) {
    add(out, itemPath, 'fixture has elements, the simulator always sends an empty array');
    return;
  }
  for (const element of fixture) walk(element, elements, itemPath, depth, maxDepth, out);
}

function walkObject(
  fixture: JsonObject,
  same: readonly JsonObject[],
  path: string,
  depth: number,
  maxDepth: number,
  out: Map<string, ShapeProblem>,
): void {
  const ofType = typeof fixture.type === 'string' ? same.filter((s) => s.type === fixture.type) : [];
  const candidates = ofType.length > 0 ? ofType : same;
  for (const [key, value] of Object.entries(fixture)) {
    const having = candidates.filter((s) => Object.hasOwn(s, key));
    if (having.length === 0) add(out, join(path, key), 'missing in the simulator');
    else
      walk(
        value,
        having.map((s) => s[key]),
        join(path, key),
        depth + 1,
        maxDepth,
        out,
      );
  }
}

function add(out: Map<string, ShapeProblem>, path: string, problem: string): void {
  out.set(`${path}\0${problem}`, { path, problem });
}
