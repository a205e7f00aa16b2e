import { describeGeneratedInput } from '@arc/platform/testing';
import { AppModule } from './app.module';
import { COLLECTIONS, type CollectionsConfig } from './config';
import { TEST_OUTBOX } from './testing/test-config';

describeGeneratedInput<CollectionsConfig>({
  definition: COLLECTIONS,
  module: (config, options) => AppModule.forRoot(config, options),
  extra: { outbox: TEST_OUTBOX },
});
