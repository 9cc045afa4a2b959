/**
 * The API's building blocks in isolation: the key cache (hashing, TTL, coalescing, bounds), the Prometheus
 * exposition (against hand-written text), the attribution reader, worst-scenario selection (against a full sort),
 * report content negotiation, and input-name checks.
 */
import { describe, expect, it } from 'vitest';
import { ApiKeyCache, ApiProblem, checkInputName, Counter, Gauge, Histogram, MetricsRegistry, readAttribution, roleMay, tokenDigest } from '../../src/api/index.ts';
import { worstIndices } from '../../src/api/margin/portfolioMargin.ts';
import { reportFormat } from '../../src/api/routes/runs.ts';
import { fieldOfPointer } from '../../src/api/errorHandler.ts';
import { createRng } from '../../src/math/index.ts';
import type { ApiKeyRecord } from '../../src/store/index.ts';

function record(id: string, role: ApiKeyRecord['role'] = 'analyst', desk: string | null = null): ApiKeyRecord {
  return { id, role, desk, label: null, createdAt: 0, revokedAt: null };
}

describe('ApiKeyCache', () => {
  it('verifies once per token within the TTL, again after it, and remembers rejections for the shorter TTL', async () => {
    let now = 1000;
    const calls: string[] = [];
    const cache = new ApiKeyCache(async (t) => {
      calls.push(t);
      return t.startsWith('good') ? record('k1', 'desk', 'retail') : null;
    }, { ttlMs: 100, negativeTtlMs: 10, clock: () => now });
    expect(await cache.verify('good-1')).toEqual({ keyId: 'k1', role: 'desk', desk: 'retail' });
    expect(await cache.verify('good-1')).toEqual({ keyId: 'k1', role: 'desk', desk: 'retail' });
    expect(calls).toEqual(['good-1']);
    now += 100; // expiresAt = start + ttl is no longer in the future
    await cache.verify('good-1');
    expect(calls).toEqual(['good-1', 'good-1']);
    expect(await cache.verify('bad')).toBeNull();
    expect(await cache.verify('bad')).toBeNull();
    expect(calls.filter((c) => c === 'bad')).toHaveLength(1);
    now += 10;
    await cache.verify('bad');
    expect(calls.filter((c) => c === 'bad')).toHaveLength(2);
    expect(cache.verifications).toBe(4);
  });

  it('shares one verification among concurrent first uses and does not cache store errors', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const cache = new ApiKeyCache(async () => {
      calls++;
      await new Promise<void>((r) => {
        release = r;
      });
      return record('k2');
    });
    const all = Promise.all(Array.from({ length: 50 }, () => cache.verify('tok')));
    await Promise.resolve();
    release();
    expect((await all).every((p) => p?.keyId === 'k2')).toBe(true);
    expect(calls).toBe(1);
    let fail = true;
    const flaky = new ApiKeyCache(async () => {
      if (fail) throw new Error('database down');
      return record('k3');
    });
    await expect(flaky.verify('t')).rejects.toThrow('database down');
    fail = false;
    expect((await flaky.verify('t'))?.keyId).toBe('k3');
  });

  it('is bounded (oldest first out) and keys entries by SHA-256, never by the token', async () => {
    const cache = new ApiKeyCache(async (t) => record(t), { maxEntries: 3 });
    for (const t of ['a', 'b', 'c', 'd']) await cache.verify(t);
    expect(cache.size).toBe(3);
    await cache.verify('a'); // evicted: verified again
    expect(cache.verifications).toBe(5);
    expect(tokenDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2 example
  });
});

describe('roles', () => {
  it('desk < analyst < admin, public for everyone', () => {
    expect(roleMay('desk', 'accounts:read')).toBe(true);
    expect(roleMay('desk', 'runs:read')).toBe(false);
    expect(roleMay('desk', 'stress:run')).toBe(false);
    expect(roleMay('analyst', 'runs:start')).toBe(true);
    expect(roleMay('analyst', 'calibration:promote')).toBe(false);
    expect(roleMay('admin', 'calibration:promote')).toBe(true);
    expect(roleMay('desk', 'public')).toBe(true);
  });
});

describe('Prometheus exposition', () => {
  it('renders counters, gauges and cumulative histograms exactly, escaping label values', () => {
    const r = new MetricsRegistry();
    const c = r.register(new Counter('t_requests_total', 'Requests.', ['route']));
    c.inc({ route: '/a' });
    c.inc({ route: '/a' }, 2);
    c.inc({ route: 'q"\\\n' });
    r.register(new Gauge('t_gen', 'Generation.', [], () => [{ value: 7 }]));
    const h = r.register(new Histogram('t_seconds', 'Latency.', [0.1, 1], ['m']));
    h.observe(0.05, { m: 'GET' });
    h.observe(0.1, { m: 'GET' }); // on the bound: counted in le="0.1"
    h.observe(0.5, { m: 'GET' });
    h.observe(3, { m: 'GET' });
    expect(r.expose()).toBe(
      [
        '# HELP t_requests_total Requests.',
        '# TYPE t_requests_total counter',
        't_requests_total{route="/a"} 3',
        't_requests_total{route="q\\"\\\\\\n"} 1',
        '# HELP t_gen Generation.',
        '# TYPE t_gen gauge',
        't_gen 7',
        '# HELP t_seconds Latency.',
        '# TYPE t_seconds histogram',
        't_seconds_bucket{m="GET",le="0.1"} 2',
        't_seconds_bucket{m="GET",le="1"} 3',
        't_seconds_bucket{m="GET",le="+Inf"} 4',
        't_seconds_sum{m="GET"} 3.65',
        't_seconds_count{m="GET"} 4',
        '',
      ].join('\n'),
    );
  });
});

describe('readAttribution', () => {
  const good = {
    format: 1,
    positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }],
    preIncident: null,
    change: { totalUsd: 3, effects: [{ name: 'surface', amountUsd: 1 }, { name: 'addOns', amountUsd: 2 }], order: ['surface', 'addOns'] },
    worstScenario: { id: 'fhs:2022-11-09', pnlUsd: -5 },
    drivers: [],
    marginCallUsd: 0,
    components: { esMporUsd: 1, apcMarginUsd: 1, liquidityAddOnUsd: 0, concentrationAddOnUsd: 0, incidentAddOnUsd: 0 },
  };
  it('reads format 1, treats null and pre-format documents as none, and names what is malformed', () => {
    expect(readAttribution(good).kind).toBe('ok');
    expect(readAttribution(null)).toEqual({ kind: 'none' });
    expect(readAttribution({ worst: 'x' })).toEqual({ kind: 'none' });
    expect(readAttribution('text')).toMatchObject({ kind: 'malformed' });
    expect(readAttribution({ ...good, format: 2 })).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/format 2/) });
    expect(readAttribution({ ...good, positions: [{ instrument: 'X', quantity: 'one' }] })).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/positions\[0\]\.quantity/) });
    expect(readAttribution({ ...good, change: { ...good.change, totalUsd: 4 } })).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/sum/) });
    expect(readAttribution({ ...good, marginCallUsd: -1 })).toMatchObject({ kind: 'malformed' });
    expect(readAttribution({ ...good, components: { ...good.components, esMporUsd: null } })).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/components\.esMporUsd/) });
  });
});

describe('worstIndices', () => {
  it('equals the first k of a full stable sort', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.nextInt(300);
      // few distinct values so that ties happen
      const pnl = Float64Array.from({ length: n }, () => rng.nextInt(20) - 10);
      const k = rng.nextInt(12);
      const reference = [...pnl.keys()].sort((a, b) => (pnl[a] as number) - (pnl[b] as number) || a - b).slice(0, k);
      expect(worstIndices(pnl, k)).toEqual(reference);
    }
  });
});

describe('report negotiation and names', () => {
  it('chooses by ?format=, then by the most specific Accept range, JSON on a tie', () => {
    expect(reportFormat('html', 'application/json')).toBe('html');
    expect(reportFormat(undefined, undefined)).toBe('json');
    expect(reportFormat(undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')).toBe('html');
    expect(reportFormat(undefined, 'text/html, */*')).toBe('html');
    expect(reportFormat(undefined, 'application/json, text/html;q=0.9')).toBe('json');
    expect(reportFormat(undefined, '*/*')).toBe('json');
    expect(() => reportFormat(undefined, 'image/png')).toThrow(ApiProblem);
  });
  it('accepts plain names and refuses paths, naming the field', () => {
    expect(checkInputName('2026-02-05-drawdown', 'incident')).toBe('2026-02-05-drawdown');
    for (const bad of ['../x', 'a/b', 'a\\b', '..', '.hidden', 'a..b', '/etc/passwd', 'C:x y']) {
      expect(() => checkInputName(bad, 'incident')).toThrow(/incident/);
    }
  });
  it('turns JSON pointers into field names', () => {
    expect(fieldOfPointer('/positions/3/quantity')).toBe('positions[3].quantity');
    expect(fieldOfPointer('')).toBe('');
    expect(fieldOfPointer('/a~1b/0')).toBe('a/b[0]');
  });
});
