import { runService } from '@arc/platform';
import { AppModule } from './app.module';
import { loadRiskAlertConfig } from './config';

runService(loadRiskAlertConfig, (config) => AppModule.forRoot(config));
