/**
 * The recalibration job end to end on the bundled real incident (2026-02-05 drawdown; Deribit chains of 02-04
 * before and 02-06 after; 2017-2026 daily history), on a fresh store: recalibrate -> promote -> second run ->
 * shadow comparison -> promote -> rollback, on SQLite and on PostgreSQL (skipped, saying so, when none is
 * reachable); determinism (two fresh stores, byte-identical report JSON and the same run id); the stored margins
 * equal the what-if margin of the same positions from the stored matrix and margin model; the attribution's
 * effects sum to the change to the cent; the active calibration is untouched by a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecalibrationJob, type RecalibrationJobResult } from '../../src/jobs/index.ts';
import { compileScenarioMargin, scenarioMargin } from '../../src/risk/index.ts';
import {
  getActiveRun, getPnlMatrix, getRunMarginModel, getRunReport, listAccountMargins, listAudit, promoteRun, rollbackCalibration,
} from '../../src/store/index.ts';
import { BACKENDS, createTestDatabase, skipBackend, type TestDatabase } from '../support/db.ts';
import { INCIDENT, ROOT, smallPortfolio } from './helpers.ts';

const small = smallPortfolio(150);
const codeVersion = 'aftershock@test';

describe.each(BACKENDS)('recalibration lifecycle on %s', async (backend) => {
  const skip = await skipBackend(backend, 'recalibration lifecycle');
  let db: TestDatabase;
  let first: RecalibrationJobResult;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase(backend);
    const store = await db.open();
    first = await runRecalibrationJob({ store, codeVersion, request: { root: ROOT, incident: INCIDENT, portfolios: small } });
  }, 240_000);
  afterAll(async () => {
    if (!skip) await db.cleanup();
  });

  it.skipIf(skip)('stores a complete candidate with passing gates, its margin model, matrix and report; nothing active yet', async () => {
    const store = await db.open();
    expect(first.run.status).toBe('candidate');
    expect(first.gates.map((g) => [g.name, g.passed])).toEqual([['surfaces-arbitrage-free', true], ['backtest-not-red', true], ['margins-finite', true]]);
    expect(await getActiveRun(store)).toBeNull();
    const margins = await listAccountMargins(store, first.run.id);
    expect(margins).toHaveLength(150);
    for (const m of margins) {
      expect(Number.isFinite(m.initialMargin) && m.initialMargin >= 0).toBe(true);
      expect(m.maintenanceMargin).toBeCloseTo(0.75 * m.initialMargin, 6);
      expect(m.excess).toBeCloseTo(m.collateralValue - m.initialMargin, 6);
      const a = m.attribution as { change: { totalUsd: number; effects: { amountUsd: number }[] }; preIncident: { initialMarginUsd: number } };
      const cents = a.change.effects.reduce((s, e) => s + Math.round(e.amountUsd * 100), 0);
      expect(cents).toBe(Math.round(a.change.totalUsd * 100));
      expect(Math.round(a.change.totalUsd * 100)).toBe(Math.round(m.initialMargin * 100) - Math.round(a.preIncident.initialMarginUsd * 100));
    }
    const report = await getRunReport(store, first.run.id);
    expect(report?.json).toBe(first.output.reportJson);
    expect(report?.html).toMatch(/^<!DOCTYPE html>/i);
  });

  it.skipIf(skip)('the stored margins are the what-if margins of the same positions from the stored matrix and model', async () => {
    const store = await db.open();
    const model = compileScenarioMargin(await getRunMarginModel(store, first.run.id));
    const matrix = await getPnlMatrix(store, first.run.id);
    expect(matrix).not.toBeNull();
    const margins = await listAccountMargins(store, first.run.id);
    for (const m of margins.slice(0, 40)) {
      const positions = (m.attribution as { positions: { instrument: string; quantity: number }[] }).positions;
      const w = scenarioMargin(model, matrix!.data, matrix!.scenarioIds.length, positions);
      expect(w.initialMarginUsd).toBe(m.initialMargin);
      expect(w.maintenanceMarginUsd).toBe(m.maintenanceMargin);
    }
  });

  it.skipIf(skip)('promote, a second candidate with its shadow comparison, promote, rollback', async () => {
    const store = await db.open();
    await promoteRun(store, first.run.id, { actor: 'test', gates: first.gates });
    expect((await getActiveRun(store))?.id).toBe(first.run.id);
    const second = await runRecalibrationJob({ store, codeVersion, request: { root: ROOT, incident: INCIDENT, portfolios: small, seed: 2 } });
    expect(second.run.id).not.toBe(first.run.id);
    expect(second.run.baselineRunId).toBe(first.run.id);
    expect((await getActiveRun(store))?.id).toBe(first.run.id); // a run never changes the active calibration
    expect(second.shadow?.activeRunId).toBe(first.run.id);
    expect(second.shadow?.accountsCompared).toBe(150);
    await promoteRun(store, second.run.id, { actor: 'test', gates: second.gates });
    expect((await getActiveRun(store))?.id).toBe(second.run.id);
    await rollbackCalibration(store, { actor: 'test', reason: 'test rollback' });
    expect((await getActiveRun(store))?.id).toBe(first.run.id);
    const audit = await listAudit(store);
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['promote', 'rollback']));
  }, 240_000);
});

describe('determinism', () => {
  it('two fresh stores: the same run id and byte-identical report JSON', async () => {
    const dbs = [await createTestDatabase('sqlite'), await createTestDatabase('sqlite')];
    try {
      const runs = [];
      for (const db of dbs) runs.push(await runRecalibrationJob({ store: await db.open(), codeVersion, request: { root: ROOT, incident: INCIDENT, portfolios: small } }));
      expect(runs[1]!.run.id).toBe(runs[0]!.run.id);
      expect(runs[1]!.output.reportJson).toBe(runs[0]!.output.reportJson);
      expect(runs[0]!.output.reportJson.length).toBeGreaterThan(10_000);
    } finally {
      for (const db of dbs) await db.cleanup();
    }
  }, 240_000);
});
