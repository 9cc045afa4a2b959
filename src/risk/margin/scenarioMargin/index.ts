export {
  SCENARIO_MARGIN_FORMAT, compileScenarioMargin,
  type ScenarioMarginDefinition, type ScenarioMarginInstrument, type ScenarioMarginModel,
} from './definition.ts';
export {
  positionRows, portfolioScenarioPnl, scenarioMarginOfRows, scenarioMarginOfPnl, scenarioMargin,
  type ScenarioPosition, type ScenarioMarginResult,
} from './scenarioMargin.ts';
