import { describeGeneratedInput } from '@arc/platform/testing';
import { AppModule } from './app.module';
import { PAYMENTS } from './config';

describeGeneratedInput({ definition: PAYMENTS, module: (config, options) => AppModule.forRoot(config, options) });
