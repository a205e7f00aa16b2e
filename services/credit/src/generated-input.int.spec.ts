import { describeGeneratedInput } from '@arc/platform/testing';
import { AppModule } from './app.module';
import { CREDIT } from './config';

describeGeneratedInput({ definition: CREDIT, module: (config, options) => AppModule.forRoot(config, options) });
