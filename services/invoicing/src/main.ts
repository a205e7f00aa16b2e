import { runService } from '@arc/platform';
import { AppModule } from './app.module';
import { loadInvoicingConfig } from './config';

runService(loadInvoicingConfig, (config) => AppModule.forRoot(config));
