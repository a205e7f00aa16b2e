import { describeGeneratedInput } from '@arc/platform/testing';
import { AppModule } from './app.module';
import { RISK_ALERT } from './config';

describeGeneratedInput({ definition: RISK_ALERT, module: (config, options) => AppModule.forRoot(config, options) });
