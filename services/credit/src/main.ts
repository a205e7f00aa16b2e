import { Module } from '@nestjs/common';
import { createServiceApp } from '@arc/platform';
import { AppModule } from './app.module';
import { loadCreditConfig } from './config';
import { connectCreditConsumers } from './consumers/connect';

const config = loadCreditConfig();

@Module({ imports: [AppModule.forRoot(config)] })
class CreditService {}

async function main(): Promise<void> {
  const app = await createServiceApp(CreditService);
  await connectCreditConsumers(app, config);
  await app.init(); // migrations (event store, open-AR view) and the relay, before any event is consumed
  await app.startAllMicroservices();
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
