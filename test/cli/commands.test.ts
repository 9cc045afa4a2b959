/** The pricing commands of the CLI: output, --json, and exit code 2 with a message naming the bad field. */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { bsPrice } from '../../src/pricing/index.ts';

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("aftershock price / iv", () => {
  it('prices with --json and inverts the price back', async () => {
    const r = await cli(['--json', 'price', '--spot', '42', '--strike', '40', '--expiry', '0.5', '--rate', '0.1', '--vol', '0.2']);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out[0]!) as { price: number };
    expect(g.price).toBe(bsPrice({ spot: 42, strike: 40, expiry: 0.5, rate: 0.1, vol: 0.2, type: 'call' }));
    const iv = await cli(['--json', 'iv', '--price', String(g.price), '--spot', '42', '--strike', '40', '--expiry', '0.5', '--rate', '0.1']);
    expect(iv.code).toBe(0);
    expect(Math.abs((JSON.parse(iv.out[0]!) as { vol: number }).vol - 0.2)).toBeLessThan(1e-14);
  });
  it('bad input exits 2 and names the field', async () => {
    const r = await cli(['price', '--spot', 'abc', '--strike', '40', '--expiry', '0.5', '--vol', '0.2']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/spot must be a finite number/);
    const below = await cli(['iv', '--price', '1', '--spot', '100', '--strike', '50', '--expiry', '1']);
    expect(below.code).toBe(2);
    expect(below.err.join('\n')).toMatch(/BELOW_INTRINSIC/);
  });
});

describe('aftershock stress (bundled fixtures)', () => {
  it('margins every fixture account with the defaults and exits 0', async () => {
    const r = await cli(['--json', 'stress']);
    expect(r.code).toBe(0);
    const batch = JSON.parse(r.out[0]!) as { totals: { accounts: number; initialMarginUsd: number; maintenanceMarginUsd: number }; failures: unknown[]; margins: { initialMarginUsd: number }[] };
    expect(batch.failures).toEqual([]);
    expect(batch.totals.accounts).toBe(3000);
    const sum = batch.margins.reduce((s, m) => s + m.initialMarginUsd, 0);
    expect(Math.abs(sum - batch.totals.initialMarginUsd)).toBeLessThan(1e-6 * sum);
    expect(batch.totals.maintenanceMarginUsd).toBeLessThan(batch.totals.initialMarginUsd);
  });
  it('a missing portfolio file exits 2 naming the file', async () => {
    const r = await cli(['stress', '--portfolios', 'no/such/file.json']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/portfolios no\/such\/file\.json: ENOENT/);
  });
});
