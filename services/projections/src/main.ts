import { runService } from '@arc/platform';
import { AppModule } from './app.module';
import { loadProjectionsConfig } from './config';

runService(loadProjectionsConfig, (config) => AppModule.forRoot(config));
