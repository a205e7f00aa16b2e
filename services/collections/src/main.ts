import { Module } from '@nestjs/common';
import { createServiceApp } from '@arc/platform';
import { AppModule } from './app.module';
import { loadCollectionsConfig } from './config';
import { connectCollectionsConsumers } from './consumers/connect';

const config = loadCollectionsConfig();

@Module({ imports: [AppModule.forRoot(config)] })
class CollectionsService {}

async function main(): Promise<void> {
  const app = await createServiceApp(CollectionsService);
  await connectCollectionsConsumers(app, config);
  await app.init(); // migrations (event store, cases view) and the relay, before any event is consumed
  await app.startAllMicroservices();
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
