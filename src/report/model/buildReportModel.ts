/**
 * buildReportModel: the report model from already-computed pipeline values (pure; no I/O, clock or randomness).
 * It validates (finite numbers, matching lengths, effects summing to the change, exception flags equal to
 * loss > margin), sorts everything into a stated order, derives totals, histograms and the headline, and returns a
 * deeply frozen {@link ReportModel}. Identical input gives an identical model whatever the input's array order for
 * the sorted collections (inputs, models, expiries, accounts).
 */
import { ReportInputError } from './errors.ts';
import { compareStrings, text } from './check.ts';
import { buildBacktest, buildCorrelation, buildMargins, buildScenarioPnl, buildSurface, buildTopAccounts } from './buildSections.ts';
import type { ReportBuildOptions, ReportInput } from './input.ts';
import { REPORT_SCHEMA_VERSION } from './types.ts';
import type { ReportHeadline, ReportModel, ReportProvenance } from './types.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

function buildProvenance(p: ReportProvenance): ReportProvenance {
  const inputs = p.inputs.map((f, i) => {
    const sha256 = text(`provenance.inputs[${i}].sha256`, f.sha256);
    if (!SHA256_HEX.test(sha256)) throw new ReportInputError(`provenance.inputs[${i}].sha256`, sha256, 'must be 64 lower-case hex digits');
    return Object.freeze({ name: text(`provenance.inputs[${i}].name`, f.name), sha256 });
  }).sort((a, b) => compareStrings(a.name, b.name));
  const models = p.models.map((m, i) => Object.freeze({
    family: text(`provenance.models[${i}].family`, m.family),
    name: text(`provenance.models[${i}].name`, m.name),
    version: text(`provenance.models[${i}].version`, m.version),
  })).sort((a, b) => compareStrings(a.family, b.family) || compareStrings(a.name, b.name) || compareStrings(a.version, b.version));
  const orNull = (field: string, v: string | null): string | null => (v === null ? null : text(field, v));
  if (typeof p.seed !== 'string' && !Number.isSafeInteger(p.seed)) throw new ReportInputError('provenance.seed', p.seed, 'must be a safe integer or a string');
  return Object.freeze({
    runId: text('provenance.runId', p.runId),
    incident: Object.freeze({
      id: text('provenance.incident.id', p.incident.id),
      title: text('provenance.incident.title', p.incident.title),
      kind: orNull('provenance.incident.kind', p.incident.kind),
      startedAt: orNull('provenance.incident.startedAt', p.incident.startedAt),
      endedAt: orNull('provenance.incident.endedAt', p.incident.endedAt),
    }),
    asOf: text('provenance.asOf', p.asOf),
    inputs: Object.freeze(inputs),
    models: Object.freeze(models),
    codeVersion: text('provenance.codeVersion', p.codeVersion),
    seed: p.seed,
  });
}

/**
 * The report model of a run. `options.topAccounts` (default 10) accounts with the largest margin increase are
 * shown with their attribution; histograms have at most `options.maxBins` (default 24) bins.
 * @throws ReportInputError naming the field for input the report cannot represent.
 */
export function buildReportModel(input: ReportInput, options: ReportBuildOptions = {}): ReportModel {
  const topCount = options.topAccounts ?? 10;
  const maxBins = options.maxBins ?? 24;
  if (!Number.isInteger(topCount) || topCount < 0) throw new ReportInputError('options.topAccounts', topCount, 'must be an integer >= 0');
  if (!Number.isInteger(maxBins) || maxBins < 1) throw new ReportInputError('options.maxBins', maxBins, 'must be an integer >= 1');
  const provenance = buildProvenance(input.provenance);
  const surfaces = input.surfaces.map((s, i) => buildSurface(`surfaces[${i}]`, s));
  const correlations = input.correlations.map((c, i) => buildCorrelation(`correlations[${i}]`, c));
  const scenarioPnl = input.scenarioPnl.map((s, i) => buildScenarioPnl(`scenarioPnl[${i}]`, s, maxBins));
  const margins = buildMargins(input.accounts, maxBins);
  const topAccounts = buildTopAccounts(margins, input.attributions, topCount);
  const backtests = input.backtests.map((b, i) => buildBacktest(`backtests[${i}]`, b));
  const headline: ReportHeadline = Object.freeze({
    accounts: margins.accounts.length,
    totalMarginBefore: margins.totalBefore,
    totalMarginAfter: margins.totalAfter,
    totalMarginChange: margins.totalChange,
    totalMarginChangeRatio: margins.totalBefore > 0 ? margins.totalChange / margins.totalBefore : null,
    accountsWithCall: margins.accountsWithCall,
    totalMarginCall: margins.totalMarginCall,
    backtestZones: Object.freeze(backtests.map((b) => Object.freeze({
      calibration: b.calibration, zone: b.tests.zone, exceptions: b.tests.exceptions, observations: b.tests.observations,
    }))),
  });
  return Object.freeze({
    schemaVersion: REPORT_SCHEMA_VERSION,
    provenance,
    headline,
    surfaces: Object.freeze(surfaces),
    correlations: Object.freeze(correlations),
    scenarioPnl: Object.freeze(scenarioPnl),
    margins,
    topAccounts,
    backtests: Object.freeze(backtests),
  });
}
