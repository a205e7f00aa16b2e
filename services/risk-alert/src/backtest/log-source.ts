import { Inject, Injectable, Logger } from '@nestjs/common';
import { CustomerAgingChanged, CustomerExposureChanged, PortfolioKpisChanged, dataOf, type EventEnvelope } from '@arc/contracts';
import { readTopicToEnd } from '@arc/messaging';
import type { RuleSnapshot } from '../domain';
import { Backtest, type BacktestPeriod, type BacktestResult } from './backtest';

export interface BacktestSource {
  brokers: string[];
  /** arc.projections.changes: the log the live consumer evaluates. */
  topic: string;
  clientId: string;
}

export const BACKTEST_SOURCE = Symbol.for('arc.riskAlert.backtestSource');

/** The figures of a change event, or null for an event risk-alert does not evaluate (or one that breaks its contract). */
function figuresOf(envelope: EventEnvelope) {
  switch (envelope.eventType) {
    case CustomerExposureChanged.type:
      return { type: 'CustomerExposureChanged' as const, data: dataOf(CustomerExposureChanged, envelope) };
    case CustomerAgingChanged.type:
      return { type: 'CustomerAgingChanged' as const, data: dataOf(CustomerAgingChanged, envelope) };
    case PortfolioKpisChanged.type:
      return { type: 'PortfolioKpisChanged' as const, data: dataOf(PortfolioKpisChanged, envelope) };
    default:
      return null;
  }
}

/** Runs a backtest over the projections' change log as it stands now (read to its current end, never consumed). */
@Injectable()
export class BacktestRunner {
  private readonly logger = new Logger('BacktestRunner');

  constructor(@Inject(BACKTEST_SOURCE) private readonly source: BacktestSource) {}

  async run(rules: readonly RuleSnapshot[], period: BacktestPeriod): Promise<BacktestResult & { eventsRead: number }> {
    const backtest = new Backtest(rules, period);
    let skipped = 0;
    const eventsRead = await readTopicToEnd(
      { brokers: this.source.brokers, clientId: this.source.clientId },
      this.source.topic,
      (envelope) => {
        let figures;
        try {
          figures = figuresOf(envelope);
        } catch {
          skipped += 1; // the live consumer sends these to the dead-letter topic: not evaluated there either
          return;
        }
        if (figures !== null) backtest.evaluate({ eventId: envelope.eventId, figures });
      },
      () => (skipped += 1),
    );
    if (skipped > 0) this.logger.warn(`backtest skipped ${skipped} change event(s) that break their contract`);
    return { ...backtest.result(), eventsRead };
  }
}
