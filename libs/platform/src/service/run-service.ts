import type { DynamicModule, INestApplication, INestMicroservice } from '@nestjs/common';
import { createServiceApp } from '../bootstrap';
import { connectEventConsumers } from '../event-sourcing/event-consumers';
import type { ServiceConfig } from './service-config';
import { SERVICE_CONSUMERS, type ServiceConsumers } from './service-module';

/** Attaches the consumers a serviceModule declares (none: nothing to do). Await before app.init(). */
export async function connectServiceConsumers(app: INestApplication): Promise<INestMicroservice | undefined> {
  let consumers: ServiceConsumers;
  try {
    consumers = app.get<ServiceConsumers>(SERVICE_CONSUMERS, { strict: false });
  } catch {
    return undefined;
  }
  return connectEventConsumers(app, consumers);
}

/**
 * Builds, wires and starts a service: consumers attached first (a hybrid app's handlers take their
 * enhancers when connected), then init (migrations, relay), and only then consuming and serving HTTP.
 */
export async function startService(config: Pick<ServiceConfig, 'port'>, module: DynamicModule): Promise<INestApplication> {
  const app = await createServiceApp(module);
  await connectServiceConsumers(app);
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.port);
  return app;
}

/**
 * A service's whole main.ts: `runService(loadCreditConfig, (config) => AppModule.forRoot(config))`. A
 * configuration or start-up error is printed and ends the process with 1, for the supervisor to see.
 */
export function runService<C extends Pick<ServiceConfig, 'port'>>(load: () => C, module: (config: C) => DynamicModule): void {
  Promise.resolve()
    .then(() => {
      const config = load();
      return startService(config, module(config));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
