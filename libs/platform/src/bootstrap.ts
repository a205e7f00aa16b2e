import type { Server } from 'node:http';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { answerUnparsableRequests, refuseHostileInput } from './http/hostile-input';
import { jsonBodyParserOptions } from './http/json-body';
import { jsonBodiesOnly, requestLifecycle } from './http/request-lifecycle';
import { JsonLogger } from './logging/json-logger';
import { MetricsService } from './metrics/metrics.service';
import { setupOpenApi } from './openapi/openapi';
import { PlatformLifecycle } from './platform.module';
import type { ResolvedPlatformOptions } from './platform-options';
import { PLATFORM_OPTIONS } from './tokens';

export const API_PREFIX = 'v1';

/** Outside /v1: probes and scrapes address the process, not an API version. */
export const OPERATIONAL_ROUTES = ['health/live', 'health/ready', 'metrics'];

interface BodyParserApp {
  useBodyParser(parser: 'json', options: ReturnType<typeof jsonBodyParserOptions>): unknown;
}

/**
 * Applies what needs the application object (middleware order, prefix, logger, documents) to an app built
 * from a module importing PlatformModule. Call before init()/listen(); tests call it on the app they build
 * with Test.createTestingModule, so they run what production runs.
 */
export function configureServiceApp<T extends INestApplication>(app: T): T {
  const options = app.get<ResolvedPlatformOptions>(PLATFORM_OPTIONS);
  const logger = app.get(JsonLogger);
  app.useLogger(logger);
  app.flushLogs();

  const express = app.getHttpAdapter().getInstance() as { disable?(setting: string): void };
  express.disable?.('x-powered-by');
  // Order matters: context and timing first, so even a refused body is correlated, logged and counted;
  // then JSON parsing (Nest's own parsers, registered later at init, find the body already read), bounded
  // in size and depth; then the hostile-input check of everything parsed, before any route sees it. The
  // parser (raw-body) binds its callback to the request's async context, so the correlation id survives
  // it; a test sending the body late guards that.
  app.use(requestLifecycle(app.get(MetricsService), logger));
  app.use(jsonBodiesOnly());
  (app as unknown as BodyParserApp).useBodyParser('json', jsonBodyParserOptions());
  app.use(refuseHostileInput());
  // Requests Node's HTTP parser refuses (a NUL in a header) never reach Express: answer those as problems too.
  answerUnparsableRequests(app.getHttpServer() as Server);

  app.setGlobalPrefix(API_PREFIX, { exclude: OPERATIONAL_ROUTES });
  setupOpenApi(app, {
    service: options.service,
    apiVersion: options.apiVersion,
    ...(options.description ? { description: options.description } : {}),
  });
  app.get(PlatformLifecycle).configured = true;
  return app;
}

/** What a service's main.ts calls: `const app = await createServiceApp(AppModule); await app.listen(port);` */
export async function createServiceApp(rootModule: Type<unknown> | DynamicModule): Promise<INestApplication> {
  // Buffered until the JSON logger takes over, so even start-up lines are JSON. abortOnError: false makes
  // a failed start reject here, for main.ts to report, instead of Nest aborting the process itself.
  const app = await NestFactory.create(rootModule, { bufferLogs: true, abortOnError: false });
  configureServiceApp(app);
  // SIGTERM: readiness turns 503, in-flight requests finish, pools close.
  app.enableShutdownHooks();
  return app;
}
