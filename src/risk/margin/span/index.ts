/** SPAN-style scanning-risk margin over a SPAN scenario set. */
export { validateSpanMarginModel, type SpanMarginModel } from './spanModel.ts';
export { spanMargin, type SpanMarginInput, type SpanMarginResult, type MonthDelta } from './spanMargin.ts';
