/** Margin add-ons outside the scenario models: the incident residual-risk add-on with its decay half-life. */
export {
  incidentResidualAddOn, type IncidentAddOnInput, type IncidentAddOnResult, type AddOnBase,
} from './incidentResidualAddOn.ts';
