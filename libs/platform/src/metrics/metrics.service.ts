import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/** Metric names every service shares, so one dashboard reads them all. */
export const ARC_METRIC_NAMES = {
  httpRequestDuration: 'http_request_duration_seconds',
  consumerLag: 'arc_consumer_lag_messages',
  projectionLag: 'arc_projection_lag_seconds',
  deadLetters: 'arc_dead_letters_total',
} as const;

/** What the route label says for requests that matched no route (404s, bodies refused before routing). */
export const UNMATCHED_ROUTE = '<unmatched>';

/** One partition's lag, as a consumer reports it. */
export interface PartitionLagFigure {
  topic: string;
  partition: number;
  lag: bigint;
}

type HttpLabels = 'method' | 'route' | 'status_code';

/**
 * One prom-client registry per application (not the global one), so several apps in one process (tests)
 * never collide over metric names.
 */
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<HttpLabels>;
  private consumerLagGauge: Gauge<'topic' | 'partition' | 'group'> | undefined;
  private readonly lagSources = new Map<string, () => Promise<readonly PartitionLagFigure[]>>();
  private projectionLagGauge: Gauge<'projection'> | undefined;
  private deadLettersCounter: Counter<'group' | 'topic'> | undefined;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    // The event-loop delay is sampled every second rather than prom-client's default 10 ms: its timer was
    // the most frequent wake-up of an idle service (100 a second cost ~10 ms of CPU per second on a 2-core
    // machine, 10 a second still ~2). A stall of a second or more is always seen; shorter ones are sampled
    // (a 200 ms stall shows in one scrape out of five), and the max still reports the worst one seen.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 1000 });
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

  /**
   * Reports `group`'s lag (messages on Kafka it has not applied) as arc_consumer_lag_messages, asked for at
   * each scrape. A source that cannot answer (Kafka unreachable) reports nothing rather than a stale figure.
   */
  watchConsumerLag(group: string, lag: () => Promise<readonly PartitionLagFigure[]>): void {
    this.lagSources.set(group, lag);
    if (this.consumerLagGauge) return;
    const sources = this.lagSources;
    this.consumerLagGauge = this.gauge({
      name: ARC_METRIC_NAMES.consumerLag,
      help: 'Messages between the consumer group position (kept in the service database) and the end of the partition',
      labelNames: ['topic', 'partition', 'group'],
      async collect() {
        this.reset();
        for (const [source, figures] of sources) {
          try {
            for (const { topic, partition, lag: behind } of await figures())
              this.set({ topic, partition: String(partition), group: source }, Number(behind));
          } catch {
            // No figure for this group this time; /health/ready says why (Kafka or the database).
          }
        }
      },
    });
  }

  /** Messages a consumer group parked on a dead-letter topic. */
  deadLetters(): Counter<'group' | 'topic'> {
    this.deadLettersCounter ??= this.counter({
      name: ARC_METRIC_NAMES.deadLetters,
      help: 'Messages parked on <topic>.dlq after their handler kept failing (or that were not valid envelopes)',
      labelNames: ['group', 'topic'],
    });
    return this.deadLettersCounter;
  }

  /** Sets arc_projection_lag_seconds: how old the last event a batch applied was when the batch committed. */
  observeProjectionLag(projection: string, recordedAt: string, now = Date.now()): void {
    this.projectionLagGauge ??= this.gauge({
      name: ARC_METRIC_NAMES.projectionLag,
      help: 'Seconds between the recording of the last applied event and the commit of the batch that applied it to the read model',
      labelNames: ['projection'],
    });
    this.projectionLagGauge.set({ projection }, Math.max(0, (now - Date.parse(recordedAt)) / 1000));
  }

  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpRequestDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
