import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

/** Metric names every service shares, so one dashboard reads them all. */
export const ARC_METRIC_NAMES = {
  httpRequestDuration: 'http_request_duration_seconds',
  consumerLag: 'arc_consumer_lag_messages',
  projectionLag: 'arc_projection_lag_seconds',
} as const;

/** What the route label says for requests that matched no route (404s, bodies refused before routing). */
export const UNMATCHED_ROUTE = '<unmatched>';

type HttpLabels = 'method' | 'route' | 'status_code';

/**
 * One prom-client registry per application (not the global one), so several apps in one process (tests)
 * never collide over metric names.
 */
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<HttpLabels>;
  private consumerLagGauge: Gauge<'topic' | 'partition' | 'group'> | undefined;
  private projectionLagGauge: Gauge<'projection'> | undefined;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = this.histogram({
      name: ARC_METRIC_NAMES.httpRequestDuration,
      help: 'HTTP requests by route template (never the raw path, to bound cardinality), method and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  /** Messages behind the partition's end, per topic/partition/consumer group; set by the Kafka consumer. */
  consumerLag(): Gauge<'topic' | 'partition' | 'group'> {
    this.consumerLagGauge ??= this.gauge({
      name: ARC_METRIC_NAMES.consumerLag,
      help: 'Messages between the committed offset and the end of the partition',
      labelNames: ['topic', 'partition', 'group'],
    });
    return this.consumerLagGauge;
  }

  /** Seconds between an event being recorded and the projection applying it. */
  projectionLag(): Gauge<'projection'> {
    this.projectionLagGauge ??= this.gauge({
      name: ARC_METRIC_NAMES.projectionLag,
      help: 'Seconds between the recording of the last applied event and its application to the read model',
      labelNames: ['projection'],
    });
    return this.projectionLagGauge;
  }

  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpRequestDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
