import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule } from '@arc/platform';
import { CasesController } from './api/cases/cases.controller';
import type { CollectionsConfig } from './config';
import { AgingConsumer } from './consumers/aging.consumer';
import { applyCaseEvents, CASES_VIEW_TABLES, CasesView } from './views/cases.view';

export interface CollectionsAppOptions {
  /** Default: ARC_JWT_SECRET or the development default (see @arc/auth). */
  jwtSecret?: string;
  logSink?: (line: string) => void;
}

/** The collections service: its API, its event store and relay, and the consumer of the projections' aging changes. */
@Module({})
export class AppModule {
  static forRoot(config: CollectionsConfig, options: CollectionsAppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'collections',
          description: 'Collection cases: opened when a customer has money overdue, closed when it is cleared',
          databaseUrl: config.databaseUrl,
          readModels: [{ name: 'cases', tables: CASES_VIEW_TABLES, source: 'store', apply: applyCaseEvents }],
          ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
          ...(options.logSink ? { logSink: options.logSink } : {}),
        }),
        EventSourcingModule.forRoot({
          topic: config.topics.collections,
          // A review's changed figures are collections' own record (the cases view folds them): stored, never published.
          routes: { CollectionCaseReviewed: null },
          relayName: config.relayName,
          brokers: config.kafkaBrokers,
          clientId: 'collections',
        }),
      ],
      controllers: [CasesController, AgingConsumer],
      providers: [CasesView],
    };
  }
}
