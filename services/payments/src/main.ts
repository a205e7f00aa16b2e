import { Module } from '@nestjs/common';
import { createServiceApp } from '@arc/platform';
import { AppModule } from './app.module';
import { loadPaymentsConfig } from './config';
import { connectPaymentsConsumers } from './consumers/connect';

const config = loadPaymentsConfig();

@Module({ imports: [AppModule.forRoot(config)] })
class PaymentsService {}

async function main(): Promise<void> {
  const app = await createServiceApp(PaymentsService);
  await connectPaymentsConsumers(app, config);
  await app.init(); // migrations (event store, open-invoices view) and the relay, before any event is consumed
  await app.startAllMicroservices();
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
