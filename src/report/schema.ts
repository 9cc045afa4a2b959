/**
 * The JSON schema (draft 2020-12) of the report JSON written by `renderReportJson` (the ReportModel of
 * ./model/types.ts). It uses only: type, properties, required, additionalProperties: false, items, enum, const,
 * anyOf, minimum, maximum, pattern, $ref to #/$defs and description (test/report/jsonSchemaSubset.ts validates
 * exactly this subset). Units follow DESIGN.md §3 (money USD, P&L positive for a gain, vols annualised decimals,
 * time in years ACT/365); a value that could not be computed is null.
 */
import { REPORT_SCHEMA_VERSION } from './model/types.ts';

type Schema = { readonly [key: string]: unknown };

const num = (description: string): Schema => ({ type: 'number', description });
const nonNeg = (description: string): Schema => ({ type: 'number', minimum: 0, description });
const numOrNull = (description: string): Schema => ({ type: ['number', 'null'], description });
const str = (description: string): Schema => ({ type: 'string', description });
const strOrNull = (description: string): Schema => ({ type: ['string', 'null'], description });
const int = (description: string): Schema => ({ type: 'integer', minimum: 0, description });
const arrayOf = (items: Schema, description: string): Schema => ({ type: 'array', items, description });
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const obj = (description: string, properties: Record<string, Schema>): Schema => ({
  type: 'object', description, properties, required: Object.keys(properties), additionalProperties: false,
});
const orNull = (name: string): Schema => ({ anyOf: [ref(name), { type: 'null' }] });

const zone: Schema = { enum: ['green', 'yellow', 'red'], description: 'Traffic-light zone (Basel: yellow from 95 %, red from 99.99 % cumulative binomial probability).' };

const histogram = obj('Equal-width histogram; bins [lower, upper), the last also holds its upper edge.', {
  binWidth: nonNeg('Bin width (a 1-2-5 step) in the values\' unit; 0 for no values.'),
  bins: arrayOf(obj('One bin.', { lower: num('Lower edge.'), upper: num('Upper edge.'), count: int('Values in the bin.') }), 'Bins in increasing order.'),
});

const smileSide = obj('One side (before or after) of an expiry\'s smile.', {
  forward: { type: 'number', minimum: 0, description: 'Forward of the expiry (USD).' },
  quotes: arrayOf(obj('A quote.', {
    strike: num('Strike (USD).'), k: num('Log-moneyness ln(K/F).'),
    bidVol: numOrNull('Bid implied vol (annualised decimal), null if no bid.'),
    askVol: numOrNull('Ask implied vol, null if no ask.'), midVol: nonNeg('Mid implied vol.'),
  }), 'Quotes sorted by strike.'),
  fit: arrayOf(obj('A point of the fitted smile.', { k: num('Log-moneyness.'), strike: num('Strike F e^k (USD).'), vol: nonNeg('Fitted implied vol.') }), 'Fitted smile on a grid, sorted by k; empty if the fit failed.'),
});

/** The schema object; `$id` names the schema version. */
export const REPORT_JSON_SCHEMA = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `urn:aftershock:report:${REPORT_SCHEMA_VERSION}`,
  title: 'Aftershock recalibration report',
  description: 'One recalibration run: provenance, headline, surfaces, correlations, scenario P&L, margins, top accounts and backtests.',
  ...obj('The report.', {
    schemaVersion: { const: REPORT_SCHEMA_VERSION, description: 'Version of this schema.' },
    provenance: ref('provenance'),
    headline: ref('headline'),
    surfaces: arrayOf(ref('surface'), 'One entry per underlying, in input order.'),
    correlations: arrayOf(ref('correlation'), 'Correlation matrices before/after.'),
    scenarioPnl: arrayOf(ref('scenarioPnl'), 'P&L distribution per scenario set.'),
    margins: ref('margins'),
    topAccounts: arrayOf(ref('topAccount'), 'Accounts with the largest margin increase, largest first.'),
    backtests: arrayOf(ref('backtest'), 'One backtest per calibration on the same history.'),
  }),
  $defs: {
    provenance: obj('Where the run came from.', {
      runId: str('Run id.'),
      incident: obj('The incident.', {
        id: str('Incident id.'), title: str('Incident title.'), kind: strOrNull('Incident kind (DESIGN.md §4).'),
        startedAt: strOrNull('ISO 8601 UTC.'), endedAt: strOrNull('ISO 8601 UTC.'),
      }),
      asOf: str('As-of time of the run, ISO 8601 UTC.'),
      inputs: arrayOf(obj('An input file.', { name: str('File name.'), sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lower-case hex.' } }), 'Sorted by name.'),
      models: arrayOf(obj('A model config.', { family: str('Family.'), name: str('Name.'), version: str('Semver.') }), 'Sorted by family, name, version.'),
      codeVersion: str('Code version.'),
      seed: { type: ['integer', 'string'], description: 'Seed of the run.' },
    }),
    headline: obj('The numbers a reader sees first.', {
      accounts: int('Number of accounts.'),
      totalMarginBefore: nonNeg('Total initial margin before (USD).'),
      totalMarginAfter: nonNeg('Total initial margin after (USD).'),
      totalMarginChange: num('after - before (USD).'),
      totalMarginChangeRatio: numOrNull('change / before; null if before is 0.'),
      accountsWithCall: int('Accounts with a margin call.'),
      totalMarginCall: nonNeg('Sum of margin calls (USD).'),
      backtestZones: arrayOf(obj('Zone of one calibration.', {
        calibration: str('Calibration.'), zone, exceptions: int('Exceptions.'), observations: int('Observations.'),
      }), 'Per backtest.'),
    }),
    smileSide,
    surface: obj('Surfaces of one underlying.', {
      underlying: str('Underlying, e.g. BTC.'),
      expiries: arrayOf(obj('Smiles of one expiry.', {
        expiry: str('Expiry (ISO date).'), timeYears: nonNeg('Time to expiry (years, ACT/365).'),
        before: orNull('smileSide'), after: orNull('smileSide'),
      }), 'Sorted by time to expiry.'),
      termStructure: arrayOf(obj('ATM vol and 25-delta RR/BF of one expiry.', {
        expiry: str('Expiry (ISO date).'), timeYears: nonNeg('Years.'),
        atmVolBefore: numOrNull('ATM vol before.'), atmVolAfter: numOrNull('ATM vol after.'),
        rr25Before: numOrNull('25d risk reversal before: vol(25d call) - vol(25d put).'), rr25After: numOrNull('25d risk reversal after.'),
        bf25Before: numOrNull('25d butterfly before: mean of the 25d wings - ATM.'), bf25After: numOrNull('25d butterfly after.'),
      }), 'Sorted by time to expiry.'),
    }),
    correlation: obj('A correlation matrix before and after.', {
      label: str('What the matrix is.'),
      assets: arrayOf({ type: 'string' }, 'Assets (rows and columns).'),
      before: arrayOf(arrayOf({ type: 'number', minimum: -1, maximum: 1 }, 'Row.'), 'Row-major n x n.'),
      after: arrayOf(arrayOf({ type: 'number', minimum: -1, maximum: 1 }, 'Row.'), 'Row-major n x n.'),
      maxAbsChange: nonNeg('Largest absolute off-diagonal change.'),
    }),
    scenarioPnl: obj('P&L of a portfolio under one scenario set.', {
      scenarioSet: str('Scenario set.'), portfolio: str('Portfolio.'),
      values: arrayOf({ type: 'number' }, 'P&L per scenario (USD), scenario order.'),
      histogram, worst: num('Lowest P&L (USD).'), best: num('Highest P&L (USD).'),
    }),
    margins: obj('All accounts\' margins.', {
      accounts: arrayOf(obj('One account.', {
        accountId: str('Account id.'), desk: str('Desk.'), before: nonNeg('IM before (USD).'), after: nonNeg('IM after (USD).'),
        change: num('after - before (USD).'), marginCall: nonNeg('Margin call (USD), 0 = none.'),
      }), 'Sorted by account id.'),
      totalBefore: nonNeg('USD.'), totalAfter: nonNeg('USD.'), totalChange: num('USD.'),
      accountsWithCall: int('Accounts with a call.'), totalMarginCall: nonNeg('USD.'),
      changeHistogram: histogram,
    }),
    topAccount: obj('An account with a large margin increase and why.', {
      accountId: str('Account id.'), desk: str('Desk.'), before: nonNeg('USD.'), after: nonNeg('USD.'), change: num('USD.'),
      effects: arrayOf(obj('Waterfall effect.', { name: str('Effect.'), amount: num('USD.') }), 'Sum to change (to the cent), in waterfall order.'),
      worstScenario: obj('Worst scenario.', { name: str('Scenario.'), pnl: num('Account P&L there (USD).') }),
      drivers: arrayOf(obj('Position P&L in the worst scenario.', { instrument: str('Instrument.'), pnl: num('USD.') }), 'Largest losses first.'),
    }),
    backtest: obj('One calibration\'s backtest.', {
      calibration: str('Calibration, e.g. pre-incident.'),
      coverage: { type: 'number', minimum: 0, maximum: 1, description: 'Forecast confidence, e.g. 0.99.' },
      horizonDays: nonNeg('MPOR (days).'),
      days: arrayOf(obj('One day.', {
        date: str('ISO date.'), margin: nonNeg('Margin at the close (USD).'), pnl: num('Realised MPOR P&L (USD).'),
        exception: { type: 'boolean', description: 'loss > margin.' },
      }), 'Date order.'),
      tests: obj('The test table row.', {
        observations: int('Days.'), exceptions: int('Exceptions.'), expectedExceptions: nonNeg('n (1 - coverage).'),
        kupiecLr: numOrNull('Kupiec POF LR.'), kupiecP: numOrNull('Asymptotic p.'), kupiecExactP: numOrNull('Exact binomial p.'),
        christoffersenLr: numOrNull('Independence LR.'), christoffersenP: numOrNull('p.'),
        conditionalCoverageLr: numOrNull('LR_cc.'), conditionalCoverageP: numOrNull('p.'),
        zone, coverageRatio: numOrNull('(n - x) / n.'),
      }),
    }),
  },
});
