/**
 * PagerDuty's error bodies in every shape seen in the wild (shared/fixtures/real-payloads): the documented
 * `{"error":{"message","code","errors":[…]}}`, `errors` as an object map, `error` as a bare list of strings,
 * `{}`, an empty body, and HTML pages from a proxy or load balancer.
 */

/** PagerDuty's error body, whatever its shape: `{error:{message,code,errors}}`, `error` as a list, HTML. */
export interface PagerDutyErrorBody {
  code: number | null;
  message: string | null;
  errors: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const oneLine = (text: string, max = 300): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  // V3 errors and some older endpoints use an object map: {"field": ["problem"]}.
  if (isRecord(value))
    return Object.entries(value).flatMap(([k, v]) => stringsOf(v).map((s) => `${k}: ${s}`));
  return [];
}

function htmlText(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  return oneLine(title ?? text.replace(/<[^>]*>/g, ' '), 120);
}

export function parseErrorBody(text: string): PagerDutyErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const message = text.trim() === '' ? null : htmlText(text);
    return { code: null, message, errors: [] };
  }
  if (!isRecord(json)) return { code: null, message: null, errors: stringsOf(json) };
  const error = json.error;
  if (!isRecord(error)) {
    const message = typeof json.message === 'string' ? json.message : null;
    return { code: null, message, errors: [...stringsOf(error), ...stringsOf(json.errors)] };
  }
  return {
    code: typeof error.code === 'number' ? error.code : null,
    message: typeof error.message === 'string' ? error.message : null,
    errors: stringsOf(error.errors),
  };
}

/** `code 2001: Invalid Input Provided: since is invalid.` */
export function describeErrorBody(body: PagerDutyErrorBody): string {
  const parts = [body.code === null ? null : `code ${body.code}`, body.message, ...body.errors];
  return oneLine(parts.filter((p): p is string => p !== null && p !== '').join(': '));
}
