import { Module, type DynamicModule } from '@nestjs/common';
import { serviceModule, type ServiceAppOptions } from '@arc/platform';
import { AgingController } from './api/aging.controller';
import { BucketSetsController } from './api/bucket-sets.controller';
import { BusinessDateController } from './api/business-date.controller';
import { ExposureController } from './api/exposure.controller';
import { KpisController } from './api/kpis.controller';
import { LedgerController } from './api/ledger.controller';
import { PaymentBehaviourController } from './api/payment-behaviour.controller';
import { PortfolioController } from './api/portfolio.controller';
import { ReadModelQueries } from './api/read-model.queries';
import { PROJECTIONS, type ProjectionsConfig } from './config';
import { ReadModelConsumer } from './consumers/read-model.consumer';
import { historyPending, REPLAY_SETTLER_GROUP, ReplaySettler } from './consumers/replay-settle';
import { READ_MODEL_MIGRATION_OPTIONS, ReadModelMigrator } from './views/read-model.migrator';
import { READ_MODEL_TABLES, seedBusinessDate } from './views/schema';

/**
 * The projections service: the read-model consumer (credit, invoicing, payments, calendar), its read API,
 * the `reporting` schema for BI, and its own event store whose relay publishes the change events.
 */
@Module({})
export class AppModule {
  static forRoot(config: ProjectionsConfig, options: ServiceAppOptions = {}): DynamicModule {
    return serviceModule(
      AppModule,
      PROJECTIONS,
      config,
      {
        description: 'Read models: AR ledger, aging, exposure per customer; the reporting schema for BI; change events',
        controllers: [
          ExposureController,
          AgingController,
          LedgerController,
          BusinessDateController,
          BucketSetsController,
          KpisController,
          PaymentBehaviourController,
          PortfolioController,
        ],
        consumers: [ReadModelConsumer],
        providers: [
          { provide: READ_MODEL_MIGRATION_OPTIONS, useValue: { initialBusinessDate: config.initialBusinessDate, bi: config.bi } },
          ReadModelMigrator,
          ReadModelQueries,
          { provide: REPLAY_SETTLER_GROUP, useValue: config.consumerGroup },
          ReplaySettler,
        ],
        readModels: [
          {
            name: 'receivables',
            tables: READ_MODEL_TABLES,
            source: 'topics',
            seed: (tx) => seedBusinessDate(tx, config.initialBusinessDate),
            // A rebuild is caught up once its replayed history is settled too (consumers/replay-settle.ts).
            pending: historyPending,
          },
        ],
      },
      options,
    );
  }
}
