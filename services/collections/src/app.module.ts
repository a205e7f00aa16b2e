import { Module, type DynamicModule } from '@nestjs/common';
import { serviceModule, type ServiceAppOptions } from '@arc/platform';
import { CasesController } from './api/cases/cases.controller';
import { COLLECTIONS, type CollectionsConfig } from './config';
import { AgingConsumer } from './consumers/aging.consumer';
import { applyCaseEvents, CASES_VIEW_TABLES, CasesView } from './views/cases.view';

/** The collections service: its API, its event store and relay, and the consumer of the projections' aging changes. */
@Module({})
export class AppModule {
  static forRoot(config: CollectionsConfig, options: ServiceAppOptions = {}): DynamicModule {
    return serviceModule(
      AppModule,
      COLLECTIONS,
      config,
      {
        description: 'Collection cases: opened when a customer has money overdue, closed when it is cleared',
        controllers: [CasesController],
        consumers: [AgingConsumer],
        providers: [CasesView],
        readModels: [{ name: 'cases', tables: CASES_VIEW_TABLES, source: 'store', apply: applyCaseEvents }],
        // A review's changed figures are collections' own record (the cases view folds them): stored, never published.
        routes: { CollectionCaseReviewed: null },
      },
      options,
    );
  }
}
