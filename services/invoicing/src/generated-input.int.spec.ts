import { describeGeneratedInput } from '@arc/platform/testing';
import { AppModule } from './app.module';
import { INVOICING } from './config';

describeGeneratedInput({ definition: INVOICING, module: (config, options) => AppModule.forRoot(config, options) });
