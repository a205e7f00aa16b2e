import { randomUUID } from 'node:crypto';
import { describeGeneratedInput } from '@arc/platform/testing';
import { AppModule } from './app.module';
import { PROJECTIONS, type ProjectionsConfig } from './config';

describeGeneratedInput<ProjectionsConfig>({
  definition: PROJECTIONS,
  module: (config, options) => AppModule.forRoot(config, options),
  // No password: the BI role is not created, so nothing outlives the suite.
  extra: { initialBusinessDate: '1970-01-01', bi: { role: `arc_bi_${randomUUID().slice(0, 8)}`, password: null } },
});
