import { runService } from '@arc/platform';
import { AppModule } from './app.module';
import { loadPaymentsConfig } from './config';

runService(loadPaymentsConfig, (config) => AppModule.forRoot(config));
