import { Module } from '@nestjs/common';
import { createServiceApp } from '@arc/platform';
import { AppModule } from './app.module';
import { loadProjectionsConfig } from './config';
import { connectProjectionsConsumers } from './consumers/connect';

const config = loadProjectionsConfig();

@Module({ imports: [AppModule.forRoot(config)] })
class ProjectionsService {}

async function main(): Promise<void> {
  const app = await createServiceApp(ProjectionsService);
  await connectProjectionsConsumers(app, config);
  await app.init(); // migrations (event store, read model, reporting views, BI role) and the relay, before any event is consumed
  await app.startAllMicroservices();
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
