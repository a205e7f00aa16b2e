import { Module } from '@nestjs/common';
import { createServiceApp } from '@arc/platform';
import { AppModule } from './app.module';
import { loadInvoicingConfig } from './config';
import { connectInvoicingConsumers } from './consumers/connect';

const config = loadInvoicingConfig();

@Module({ imports: [AppModule.forRoot(config)] })
class InvoicingService {}

async function main(): Promise<void> {
  const app = await createServiceApp(InvoicingService);
  await connectInvoicingConsumers(app, config);
  await app.init(); // migrations (event store, terms view, invoice numbers) and the relay, before any event is consumed
  await app.startAllMicroservices();
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
