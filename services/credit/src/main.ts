import { runService } from '@arc/platform';
import { AppModule } from './app.module';
import { loadCreditConfig } from './config';

runService(loadCreditConfig, (config) => AppModule.forRoot(config));
