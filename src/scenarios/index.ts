/**
 * Scenario layer (pure): one scenario representation (`types.ts`) for every generator, the vol-shift rules a later
 * revaluation applies to any surface, the model validators (path + reason), the incident input and policy, and
 * the generators: venue grid, SPAN 16, historical, filtered historical, hypothetical, incident replay. File
 * loaders live in `./load/index.ts` (fs), not re-exported here.
 */
export type { VolShiftRule, ScenarioSetKind, Scenario, ScenarioSet, ScenarioDraft } from './types.ts';
export { ScenarioInputError, ModelValidationError, expectValid, type ModelIssue, type Validated } from './errors.ts';
export {
  applyVolShift, applyVolShiftArray, termScaleFactor, interpolateFlat, validateVolShiftRule, NO_VOL_SHIFT, DAYS_PER_YEAR,
} from './volShift.ts';
export { Checker, join, kindOf, deepFreeze, type CheckerWording, type NumberBounds } from './models/check.ts';
export { buildScenarioSet, findScenario, spotReturnOf, type ScenarioSetInput } from './buildScenarioSet.ts';
export { combineScenarioSets } from './combineScenarioSets.ts';

export {
  validateDeribitGridModel, checkGridPairParams, checkPairTable, checkExtendedMoves, GRID_PAIR_KEYS,
  type DeribitGridModel, type DeribitGridPairParams,
} from './models/deribitGrid.ts';
export { validateSpanModel, type SpanModel, type SpanRanges } from './models/span.ts';
export {
  validateHistoricalModel, validateFilteredHistoricalModel, type HistoricalModel, type FilteredHistoricalModel,
  type FhsVolModel, type MporScaling, type NamedPeriod,
} from './models/historical.ts';
export { validateHypotheticalModel, type HypotheticalModel, type HypotheticalStress } from './models/hypothetical.ts';
export { validateIncidentReplayModel, type IncidentReplayModel } from './models/incidentReplay.ts';
export { validateIncidentPolicy, type IncidentPolicyModel, type IncidentKindPolicy } from './models/incidentPolicy.ts';

export { validateIncident, INCIDENT_KINDS, type Incident, type IncidentKind } from './incident/incident.ts';
export { incidentWindowTreatment, residualAddOnRate, policyFor } from './incident/policy.ts';

export { venueGridScenarios, venueVolRules, extendedScaling, type VenueGridOptions } from './generators/venueGrid.ts';
export { spanScenarios, SPAN_SCENARIO_TABLE, type SpanOptions, type SpanRow } from './generators/span.ts';
export { historicalScenarios, type HistoricalOptions } from './generators/historical.ts';
export { devolatilise, nextVariance, type Devolatilised, type VolRecursion } from './generators/devolatilise.ts';
export { filteredHistoricalScenarios, type FilteredHistoricalOptions } from './generators/filteredHistorical.ts';
export { hypotheticalScenarios, type HypotheticalOptions } from './generators/hypothetical.ts';
export {
  incidentReplayScenarios, dailyCloseObservations, futuresMarkObservations, pickObservations, atmChangeRule,
  type PriceObservation, type AtmTermStructure, type IncidentReplayOptions,
} from './generators/incidentReplay.ts';
