import { Module } from '@nestjs/common';
import { createServiceApp } from '@arc/platform';
import { AppModule } from './app.module';
import { loadRiskAlertConfig } from './config';
import { connectRiskAlertConsumers } from './consumers/connect';

const config = loadRiskAlertConfig();

@Module({ imports: [AppModule.forRoot(config)] })
class RiskAlertService {}

async function main(): Promise<void> {
  const app = await createServiceApp(RiskAlertService);
  await connectRiskAlertConsumers(app, config);
  await app.init(); // migrations (event store, views) and the relay, before any event is consumed
  await app.startAllMicroservices();
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
