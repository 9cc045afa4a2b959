import { describe, expect, it } from 'vitest';
import {
  appendAudit, createRun, createSchedule, deleteSchedule, finishRun, getAccountMargin, getBacktest, getCorrelation, getIncident,
  getPnlMatrix, getScenarioSet, getSchedule, getSurface, listAccountMargins, listAudit, listBacktests, listCollateralHoldings,
  listIncidents, listScenarioSets, listSchedules, listSurfaces, markScheduleFired, putAccountMargins, putBacktest,
  putCollateralHoldings, putCorrelation, putIncident, putPnlMatrix, putScenarioSet, putSurfaces, RunLifecycleError,
  setScheduleEnabled, StoreDataError, StoreNotFoundError,
} from '../../src/store/index.ts';
import type { AccountMarginInput } from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { SPECIAL_BITS, T0, bitsOf, fromBits, runInput, useTestStore } from './helpers.ts';

const RUN = 'run-agg';

describe.each(BACKENDS)('store aggregates on %s', async (backend) => {
  const skip = await skipBackend(backend, 'store aggregates');
  describe.skipIf(skip)(backend, () => {
    const ctx = useTestStore(backend);
    const started = async (): Promise<void> => {
      await putIncident(ctx.store, {
        id: 'drawdown-2026-02-05', title: 'Crypto drawdown', kind: 'market-shock', severity: 4,
        startedAt: T0, endedAt: T0 + 86_400_000, document: { id: 'drawdown-2026-02-05', affected: { underlyings: ['BTC', 'ETH'] } },
      });
      await createRun(ctx.store, runInput(RUN, { incidentId: 'drawdown-2026-02-05', options: { asOf: '2026-02-06T08:00:00Z' } }));
    };

    it('incidents: round trip, replace by id, list', async () => {
      await started();
      const doc = { id: 'drawdown-2026-02-05', zeta: 1, alpha: [1.5, -2], nested: { b: 'x', a: null } };
      await putIncident(ctx.store, { id: 'drawdown-2026-02-05', title: 'Drawdown (edited)', kind: 'market-shock', severity: 5, startedAt: T0, patchedAt: T0 + 5, document: doc });
      const got = await getIncident(ctx.store, 'drawdown-2026-02-05');
      expect(got).toMatchObject({ title: 'Drawdown (edited)', severity: 5, startedAt: T0, endedAt: null, patchedAt: T0 + 5, createdAt: T0 });
      expect(JSON.stringify(got?.document)).toBe(JSON.stringify(doc)); // key order kept
      expect(await getIncident(ctx.store, 'nope')).toBeNull();
      expect((await listIncidents(ctx.store)).map((i) => i.id)).toEqual(['drawdown-2026-02-05']);
      await expect(putIncident(ctx.store, { id: 'x', title: 't', kind: 'outage', severity: 6, startedAt: T0, document: {} })).rejects.toThrow(/severity/);
    });

    it('surfaces: JSON parameters per underlying, exactly as written', async () => {
      await started();
      const btc = { expiries: [{ t: 0.0575, a: 0.0123, b: 0.0456, rho: -0.31, m: 0.02, sigma: 0.11 }], rmseVolPts: 0.42 };
      await putSurfaces(ctx.store, RUN, [
        { underlying: 'ETH', model: 'essvi', parameters: { rho: -0.2, eta: 1.1, gamma: 0.4 } },
        { underlying: 'BTC', model: 'svi', parameters: btc },
      ]);
      const got = await getSurface(ctx.store, RUN, 'BTC');
      expect(got).toEqual({ runId: RUN, underlying: 'BTC', model: 'svi', parameters: btc });
      expect(JSON.stringify(got?.parameters)).toBe(JSON.stringify(btc));
      expect((await listSurfaces(ctx.store, RUN)).map((s) => s.underlying)).toEqual(['BTC', 'ETH']);
      expect(await getSurface(ctx.store, RUN, 'SOL')).toBeNull();
      await expect(putSurfaces(ctx.store, RUN, [{ underlying: 'SOL', model: 'svi', parameters: { a: Number.NaN } }])).rejects.toThrow(StoreDataError);
    });

    it('correlation: assets plus the n x n Float64Array, bit for bit (NaN payloads, -0, subnormals)', async () => {
      await started();
      const n = 4;
      const matrix = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] = i === j ? 1 : 0.1 * (i + j) + 1e-17 * i;
      const special = fromBits(SPECIAL_BITS.slice(0, 9));
      matrix.set(special.subarray(0, 7), 1);
      await putCorrelation(ctx.store, RUN, { assets: ['BTC', 'ETH', 'SOL', 'XRP'], matrix, details: { estimator: 'ewma', lambda: 0.94 } });
      const got = await getCorrelation(ctx.store, RUN);
      expect(got?.assets).toEqual(['BTC', 'ETH', 'SOL', 'XRP']);
      expect(bitsOf(got?.matrix as Float64Array)).toEqual(bitsOf(matrix));
      expect(got?.details).toEqual({ estimator: 'ewma', lambda: 0.94 });
      await expect(putCorrelation(ctx.store, RUN, { assets: ['A', 'B'], matrix: new Float64Array(3) })).rejects.toThrow(/2x2 = 4 values/);
      await expect(putCorrelation(ctx.store, RUN, { assets: ['A', 'A'], matrix: new Float64Array(4) })).rejects.toThrow(/distinct/);
    });

    it('scenario sets: definition plus named arrays with shapes, bit for bit', async () => {
      await started();
      const shocks = fromBits([...SPECIAL_BITS, 0x3ff0000000000000n, 0xbff0000000000000n]); // 16 values = 8 x 2
      const weights = new Float64Array([0.25, 0.25, 0.5]);
      await putScenarioSet(ctx.store, RUN, {
        setId: 'grid', kind: 'grid', scenarioCount: 8, definition: { ids: ['s0', 's1'], model: 'scenarios/grid@1.0.0' },
        arrays: { shocks: { rows: 8, cols: 2, data: shocks }, weights: { rows: 3, cols: 1, data: weights } },
      });
      await putScenarioSet(ctx.store, RUN, { setId: 'hypo', kind: 'hypothetical', scenarioCount: 0, definition: [] });
      const got = await getScenarioSet(ctx.store, RUN, 'grid');
      expect(got).toMatchObject({ kind: 'grid', scenarioCount: 8, definition: { ids: ['s0', 's1'], model: 'scenarios/grid@1.0.0' } });
      expect(Object.keys(got?.arrays ?? {})).toEqual(['shocks', 'weights']);
      expect(got?.arrays['shocks']?.rows).toBe(8);
      expect(bitsOf(got?.arrays['shocks']?.data as Float64Array)).toEqual(bitsOf(shocks));
      expect([...(got?.arrays['weights']?.data ?? [])]).toEqual([0.25, 0.25, 0.5]);
      expect((await listScenarioSets(ctx.store, RUN)).map((s) => s.setId)).toEqual(['grid', 'hypo']);
      await expect(
        putScenarioSet(ctx.store, RUN, { setId: 'bad', kind: 'grid', scenarioCount: 1, definition: {}, arrays: { x: { rows: 2, cols: 2, data: new Float64Array(3) } } }),
      ).rejects.toThrow(/arrays\.x\.data/);
      expect(await getScenarioSet(ctx.store, RUN, 'bad')).toBeNull();
    });

    it('P&L matrix: instrument and scenario ids plus the row-major blob, bit for bit', async () => {
      await started();
      const instruments = ['BTC-27MAR26-90000-C', 'BTC-PERPETUAL', 'ETH-27MAR26'];
      const scenarios = ['up15', 'flat', 'down15', 'down30', 'replay'];
      const data = new Float64Array(15);
      for (let i = 0; i < 15; i++) data[i] = (i - 7) * 1234.5678 + 1 / 3;
      data.set(fromBits(SPECIAL_BITS.slice(0, 6)), 4);
      await putPnlMatrix(ctx.store, RUN, { instrumentIds: instruments, scenarioIds: scenarios, currency: 'USD', data });
      const got = await getPnlMatrix(ctx.store, RUN);
      expect(got?.instrumentIds).toEqual(instruments);
      expect(got?.scenarioIds).toEqual(scenarios);
      expect(got?.currency).toBe('USD');
      expect(bitsOf(got?.data as Float64Array)).toEqual(bitsOf(data));
      await expect(putPnlMatrix(ctx.store, RUN, { instrumentIds: ['a'], scenarioIds: ['s'], currency: 'USD', data: new Float64Array(2) })).rejects.toThrow(/1x1/);
    });

    it('margins per account: 1,203 accounts in chunks, excess = collateral - IM, desk filter; non-finite refused', async () => {
      await started();
      const margins: AccountMarginInput[] = [];
      for (let i = 0; i < 1203; i++) {
        margins.push({
          accountId: `acct-${String(i).padStart(5, '0')}`, desk: i % 3 === 0 ? 'options' : 'delta-one', currency: 'USD',
          initialMargin: 1000 + i * 0.1, maintenanceMargin: 800 + i * 0.08, collateralValue: 1500 - i, attribution: i === 0 ? { worst: 'down30', drivers: ['BTC-PERPETUAL'] } : undefined,
        });
      }
      await putAccountMargins(ctx.store, RUN, margins);
      const one = await getAccountMargin(ctx.store, RUN, 'acct-00000');
      expect(one).toEqual({ runId: RUN, accountId: 'acct-00000', desk: 'options', currency: 'USD', initialMargin: 1000, maintenanceMargin: 800, collateralValue: 1500, excess: 500, attribution: { worst: 'down30', drivers: ['BTC-PERPETUAL'] } });
      const deficit = await getAccountMargin(ctx.store, RUN, 'acct-01202');
      expect(deficit?.excess).toBe(1500 - 1202 - (1000 + 1202 * 0.1));
      expect(deficit?.initialMargin).toBe(1000 + 1202 * 0.1); // binary64 on both databases
      expect(await listAccountMargins(ctx.store, RUN)).toHaveLength(1203);
      expect(await listAccountMargins(ctx.store, RUN, { desk: 'options' })).toHaveLength(401);
      const bad = { ...margins[0], accountId: 'x' } as AccountMarginInput;
      await expect(putAccountMargins(ctx.store, RUN, [{ ...bad, initialMargin: Number.NaN }])).rejects.toThrow(/margins\[0\]\.initialMargin: must be a finite number/);
      await expect(putAccountMargins(ctx.store, RUN, [{ ...bad, maintenanceMargin: -1 }])).rejects.toThrow(/non-negative/);
    });

    it('collateral holdings: value after haircut computed, filter by account', async () => {
      await started();
      await putCollateralHoldings(ctx.store, RUN, [
        { accountId: 'a1', asset: 'BTC', quantity: 2, price: 70_000, haircut: 0.1 },
        { accountId: 'a1', asset: 'USDC', quantity: 50_000, price: 1, haircut: 0.02 },
        { accountId: 'a2', asset: 'ETH', quantity: 10, price: 2_000, haircut: 0.15 },
      ]);
      const a1 = await listCollateralHoldings(ctx.store, RUN, { accountId: 'a1' });
      expect(a1.map((h) => [h.asset, h.valueAfterHaircut])).toEqual([['BTC', 2 * 70_000 * 0.9], ['USDC', 50_000 * 0.98]]);
      expect(await listCollateralHoldings(ctx.store, RUN)).toHaveLength(3);
      await expect(putCollateralHoldings(ctx.store, RUN, [{ accountId: 'a3', asset: 'BTC', quantity: 1, price: 1, haircut: 1.5 }])).rejects.toThrow(/haircut/);
    });

    it('backtests: JSON summary plus named series of any length, bit for bit', async () => {
      await started();
      const dates = new Float64Array([Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 2), Date.UTC(2025, 0, 3)]);
      const pnl = fromBits(SPECIAL_BITS);
      await putBacktest(ctx.store, RUN, { backtestId: 'fhs-99', summary: { zone: 'green', exceptions: 2, n: 250 }, series: { dates, pnl } });
      const got = await getBacktest(ctx.store, RUN, 'fhs-99');
      expect(got?.summary).toEqual({ zone: 'green', exceptions: 2, n: 250 });
      expect([...(got?.series['dates'] ?? [])]).toEqual([...dates]);
      expect(bitsOf(got?.series['pnl'] as Float64Array)).toEqual(SPECIAL_BITS);
      expect((await listBacktests(ctx.store, RUN)).map((b) => b.backtestId)).toEqual(['fhs-99']);
      expect(await getBacktest(ctx.store, RUN, 'other')).toBeNull();
    });

    it('payloads are written only while the run is running: finished runs are immutable', async () => {
      await started();
      await finishRun(ctx.store, RUN, { status: 'candidate' });
      const refused = putSurfaces(ctx.store, RUN, [{ underlying: 'BTC', model: 'svi', parameters: {} }]);
      await expect(refused).rejects.toThrow(RunLifecycleError);
      await expect(refused).rejects.toMatchObject({ code: 'not-running' });
      await expect(putPnlMatrix(ctx.store, 'no-such-run', { instrumentIds: [], scenarioIds: [], currency: 'USD', data: new Float64Array(0) })).rejects.toThrow(StoreNotFoundError);
    });

    it('schedules: create, list, enable/disable, fired time, delete; malformed cron refused', async () => {
      const s = await createSchedule(ctx.store, { id: 'nightly', cron: '0  2 * * *', jobKind: 'stress', payload: { scenarios: 'hypothetical@1.0.0' } });
      expect(s).toEqual({ id: 'nightly', cron: '0 2 * * *', jobKind: 'stress', payload: { scenarios: 'hypothetical@1.0.0' }, enabled: true, createdAt: T0, updatedAt: T0, lastFiredAt: null });
      await createSchedule(ctx.store, { id: 'hourly', cron: '0 * * * *', jobKind: 'stress', payload: {}, enabled: false });
      expect((await listSchedules(ctx.store)).map((x) => x.id)).toEqual(['hourly', 'nightly']);
      expect((await listSchedules(ctx.store, { enabledOnly: true })).map((x) => x.id)).toEqual(['nightly']);
      ctx.clock.advance(1000);
      expect((await setScheduleEnabled(ctx.store, 'hourly', true)).updatedAt).toBe(T0 + 1000);
      await markScheduleFired(ctx.store, 'nightly', T0 + 7_200_000);
      expect((await getSchedule(ctx.store, 'nightly')).lastFiredAt).toBe(T0 + 7_200_000);
      expect(await deleteSchedule(ctx.store, 'nightly')).toBe(true);
      expect(await deleteSchedule(ctx.store, 'nightly')).toBe(false);
      await expect(getSchedule(ctx.store, 'nightly')).rejects.toThrow(StoreNotFoundError);
      await expect(createSchedule(ctx.store, { cron: 'every day', jobKind: 'stress', payload: {} })).rejects.toThrow(/cron/);
    });

    it('audit log: appended in order, filtered by target and action', async () => {
      await appendAudit(ctx.store, { actor: 'alice', action: 'schedule-add', target: 'nightly', details: { cron: '0 2 * * *' } });
      ctx.clock.advance(5);
      await appendAudit(ctx.store, { actor: 'bob', action: 'schedule-remove', target: 'nightly', reason: 'duplicate' });
      await appendAudit(ctx.store, { actor: 'bob', action: 'schedule-add', target: 'hourly' });
      const all = await listAudit(ctx.store);
      expect(all.map((e) => [e.actor, e.action, e.target])).toEqual([['alice', 'schedule-add', 'nightly'], ['bob', 'schedule-remove', 'nightly'], ['bob', 'schedule-add', 'hourly']]);
      expect(all[0]?.seq).toBeLessThan(all[1]?.seq as number);
      expect(all[1]).toMatchObject({ at: T0 + 5, reason: 'duplicate', details: null });
      expect((await listAudit(ctx.store, { target: 'nightly' })).length).toBe(2);
      expect((await listAudit(ctx.store, { action: 'schedule-add', target: 'hourly' })).length).toBe(1);
    });
  });
});
