/** The paginator on canned pages from an in-memory fake of PagerDuty's classic pagination. */
import { describe, expect, it } from 'vitest';
import {
  countWindow,
  fetchWindow,
  OFFSET_CAP,
  PaginationError,
  WindowTooLargeError,
  type PageSource,
} from '../../../src/pagerduty/paginate.js';
import type { Query } from '../../../src/pagerduty/http.js';
import { SyncError } from '../../../src/errors.js';

interface Call {
  offset: number;
  limit: number;
  total: boolean;
}

/** Answers like PagerDuty over `count` items; `tweak` may rewrite a page. Answers arrive out of order. */
function fakeSource(
  count: number,
  tweak: (body: Record<string, unknown>, call: Call) => Record<string, unknown> = (b) => b,
): PageSource & { calls: Call[] } {
  const calls: Call[] = [];
  const items = Array.from({ length: count }, (_, i) => ({ id: `P${i}` }));
  return {
    calls,
    async get(_path: string, query: Query = {}) {
      const call = { offset: Number(query.offset), limit: Number(query.limit), total: query.total === true };
      calls.push(call);
      if (call.offset + call.limit > OFFSET_CAP) throw new SyncError('400 code 2002');
      // Later pages answer sooner, so in-order yielding is really tested.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20 - calls.length * 2)));
      const body = {
        incidents: items.slice(call.offset, call.offset + call.limit),
        limit: call.limit,
        offset: call.offset,
        more: call.offset + call.limit < count,
        total: call.total ? count : null,
      };
      return { status: 200, headers: {}, body: tweak(body, call) };
    },
  };
}

async function collect(pages: AsyncIterable<unknown[]>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const spec = { path: '/incidents', dataKey: 'incidents', query: { 'statuses[]': ['resolved'] } } as const;

describe('fetchWindow', () => {
  it('yields every page in offset order; only the first asks for total', async () => {
    const source = fakeSource(1234);
    const { total, pages } = await fetchWindow(source, { ...spec, limit: 100, concurrency: 5 });
    expect(total).toBe(1234);
    const got = await collect(pages);
    expect(got.map((p) => p.length)).toEqual([...Array<number>(12).fill(100), 34]);
    expect(got.flat()).toEqual(Array.from({ length: 1234 }, (_, i) => ({ id: `P${i}` })));
    expect(source.calls.filter((c) => c.total)).toEqual([{ offset: 0, limit: 100, total: true }]);
    expect(source.calls).toHaveLength(13);
  });

  it('requests the next pages while the consumer still holds the first', async () => {
    const source = fakeSource(1000);
    const { pages } = await fetchWindow(source, { ...spec, concurrency: 3 });
    expect(source.calls).toHaveLength(1);
    await pages.next();
    expect(source.calls.map((c) => c.offset)).toEqual([0, 100, 200, 300]);
    await pages.return();
  });

  it('an empty window is one empty page', async () => {
    const { total, pages } = await fetchWindow(fakeSource(0), spec);
    expect(total).toBe(0);
    expect(await collect(pages)).toEqual([[]]);
  });

  it('over 10,000: WindowTooLargeError after the first request only', async () => {
    const source = fakeSource(25_000);
    const error = await fetchWindow(source, spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WindowTooLargeError);
    expect(error).toMatchObject({ total: 25_000, exact: true, path: '/incidents' });
    expect(source.calls).toHaveLength(1);
  });

  it('exactly 10,000 is fetched whole, never asking past offset+limit = 10,000', async () => {
    const source = fakeSource(10_000);
    const { pages } = await fetchWindow(source, { ...spec, limit: 30, concurrency: 50 });
    expect((await collect(pages)).flat()).toHaveLength(10_000);
    expect(Math.max(...source.calls.map((c) => c.offset + c.limit))).toBe(10_000);
    expect(source.calls.at(-1)).toEqual({ offset: 9990, limit: 10, total: false });
  });

  it('without a total it walks one page at a time, and stops before the cap', async () => {
    const source = fakeSource(12_000, (body) => ({ ...body, total: null }));
    const { total, pages } = await fetchWindow(source, spec);
    expect(total).toBeNull();
    let seen = 0;
    const error = await (async () => {
      for await (const page of pages) seen += page.length;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WindowTooLargeError);
    expect(error).toMatchObject({ exact: false });
    expect(seen).toBe(10_000);
    expect(Math.max(...source.calls.map((c) => c.offset + c.limit))).toBe(10_000);
  });

  it('keeps going past total while more is true (the list grew while we read it)', async () => {
    const source = fakeSource(250, (body, call) => (call.total ? { ...body, total: 150 } : body));
    const { total, pages } = await fetchWindow(source, spec);
    expect(total).toBe(150);
    expect((await collect(pages)).flat()).toHaveLength(250);
  });

  it('stops at more=false even when total promised more', async () => {
    const source = fakeSource(500, (body, call) => (call.offset === 200 ? { ...body, more: false } : body));
    const { pages } = await fetchWindow(source, spec);
    expect((await collect(pages)).flat()).toHaveLength(300);
  });

  it('loop guard: a page that repeats the previous one', async () => {
    const source = fakeSource(300, (body, call) => (call.offset === 200 ? fakeRepeat(body) : body));
    const { pages } = await fetchWindow(source, spec);
    await expect(collect(pages)).rejects.toThrow(/repeats the previous page/);
  });

  it('loop guard: more=true with an empty page, and an echoed offset that differs', async () => {
    const empty = fakeSource(300, (body, call) => (call.offset === 100 ? { ...body, incidents: [] } : body));
    await expect(collect((await fetchWindow(empty, spec)).pages)).rejects.toThrow(PaginationError);
    const ignored = fakeSource(300, (body) => ({ ...body, offset: 0 }));
    await expect(collect((await fetchWindow(ignored, spec)).pages)).rejects.toThrow(
      /asked for offset 100, got offset 0/,
    );
  });

  it('rejects a bad envelope and a bad limit', async () => {
    await expect(fetchWindow(fakeSource(5), { ...spec, dataKey: 'services' })).rejects.toThrow(
      /no "services" list/,
    );
    await expect(fetchWindow(fakeSource(5), { ...spec, limit: 101 })).rejects.toThrow(/1\.\.100/);
  });

  it('a consumer that stops early leaves no unhandled rejection behind', async () => {
    const source = fakeSource(1000, (body, call) => {
      if (call.offset >= 300) throw new SyncError('boom');
      return body;
    });
    const { pages } = await fetchWindow(source, { ...spec, concurrency: 8 });
    for await (const page of pages) {
      expect(page).toHaveLength(100);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
});

/** The page before this one in the fake: ids shifted back by one page. */
function fakeRepeat(body: Record<string, unknown>): Record<string, unknown> {
  const offset = Number(body.offset) - 100;
  return { ...body, incidents: Array.from({ length: 100 }, (_, i) => ({ id: `P${offset + i}` })) };
}

describe('countWindow', () => {
  it('asks limit=1&total=true and returns the total', async () => {
    const source = fakeSource(4321);
    expect(await countWindow(source, '/incidents', { since: 'x' })).toBe(4321);
    expect(source.calls).toEqual([{ offset: 0, limit: 1, total: true }]);
  });

  it('fails when the endpoint gives no total', async () => {
    await expect(
      countWindow(
        fakeSource(3, (b) => ({ ...b, total: null })),
        '/x',
      ),
    ).rejects.toThrow(/no total/);
  });
});
