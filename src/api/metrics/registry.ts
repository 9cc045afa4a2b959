/**
 * A minimal Prometheus registry and its text exposition (format 0.0.4): counters, gauges (set directly or read from
 * a callback at scrape time) and histograms with fixed buckets, each with optional labels. Written here so the API
 * needs no metrics dependency. Label values are escaped (`\`, `"`, newline); metric and label names are the
 * caller's constants.
 */

type Labels = Readonly<Record<string, string>>;

function labelKey(names: readonly string[], labels: Labels): string {
  return names.map((n) => labels[n] ?? '').join('\u0000');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function renderLabels(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra !== '') parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Prometheus number formatting: +Inf, -Inf, NaN, else the shortest round-trip decimal. */
export function formatMetricValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  render(): string[];
}

/** A monotonically increasing count per label set. */
export class Counter implements Metric {
  readonly type = 'counter' as const;
  readonly #values = new Map<string, { labels: string[]; value: number }>();
  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly string[] = []) {}
  /** Adds `by` (>= 0, default 1) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) return;
    const key = labelKey(this.labelNames, labels);
    const cell = this.#values.get(key);
    if (cell) cell.value += by;
    else this.#values.set(key, { labels: this.labelNames.map((n) => labels[n] ?? ''), value: by });
  }
  /** The current value of one series (0 if never incremented). */
  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(this.labelNames, labels))?.value ?? 0;
  }
  render(): string[] {
    if (this.#values.size === 0 && this.labelNames.length === 0) return [`${this.name} 0`];
    return [...this.#values.values()].map((c) => `${this.name}${renderLabels(this.labelNames, c.labels)} ${formatMetricValue(c.value)}`);
  }
}

/** A value per label set, set directly or read from `collect` at scrape time. */
export class Gauge implements Metric {
  readonly type = 'gauge' as const;
  readonly #values = new Map<string, { labels: string[]; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
    readonly collect?: () => readonly { readonly labels?: Labels; readonly value: number }[],
  ) {}
  set(value: number, labels: Labels = {}): void {
    this.#values.set(labelKey(this.labelNames, labels), { labels: this.labelNames.map((n) => labels[n] ?? ''), value });
  }
  render(): string[] {
    const cells = this.collect
      ? this.collect().map((s) => ({ labels: this.labelNames.map((n) => s.labels?.[n] ?? ''), value: s.value }))
      : [...this.#values.values()];
    return cells.map((c) => `${this.name}${renderLabels(this.labelNames, c.labels)} ${formatMetricValue(c.value)}`);
  }
}

/** Observations counted into cumulative buckets (upper bounds `buckets`, ascending) with their sum and count. */
export class Histogram implements Metric {
  readonly type = 'histogram' as const;
  readonly buckets: readonly number[];
  readonly #series = new Map<string, { labels: string[]; counts: Float64Array; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, buckets: readonly number[], readonly labelNames: readonly string[] = []) {
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(this.labelNames, labels);
    let s = this.#series.get(key);
    if (!s) {
      s = { labels: this.labelNames.map((n) => labels[n] ?? ''), counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    // non-cumulative per bucket here; render() accumulates
    let i = 0;
    while (i < this.buckets.length && value > (this.buckets[i] as number)) i++;
    if (i < this.buckets.length) s.counts[i] = (s.counts[i] as number) + 1;
    s.sum += value;
    s.count += 1;
  }
  /** Observation count of one series. */
  count(labels: Labels = {}): number {
    return this.#series.get(labelKey(this.labelNames, labels))?.count ?? 0;
  }
  render(): string[] {
    const lines: string[] = [];
    for (const s of this.#series.values()) {
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += s.counts[i] as number;
        lines.push(`${this.name}_bucket${renderLabels(this.labelNames, s.labels, `le="${formatMetricValue(b)}"`)} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${renderLabels(this.labelNames, s.labels, 'le="+Inf"')} ${s.count}`);
      lines.push(`${this.name}_sum${renderLabels(this.labelNames, s.labels)} ${formatMetricValue(s.sum)}`);
      lines.push(`${this.name}_count${renderLabels(this.labelNames, s.labels)} ${s.count}`);
    }
    return lines;
  }
}

/** A set of metrics exposed together. */
export class MetricsRegistry {
  readonly #metrics: Metric[] = [];
  register<M extends Metric>(metric: M): M {
    if (this.#metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.#metrics.push(metric);
    return metric;
  }
  /** The text exposition (content type {@link PROMETHEUS_CONTENT_TYPE}), ending with a newline. */
  expose(): string {
    const out: string[] = [];
    for (const m of this.#metrics) {
      out.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      out.push(`# TYPE ${m.name} ${m.type}`);
      out.push(...m.render());
    }
    return `${out.join('\n')}\n`;
  }
}

/** Content type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
