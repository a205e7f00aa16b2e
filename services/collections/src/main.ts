import { runService } from '@arc/platform';
import { AppModule } from './app.module';
import { loadCollectionsConfig } from './config';

runService(loadCollectionsConfig, (config) => AppModule.forRoot(config));
