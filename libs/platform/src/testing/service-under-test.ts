import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mintDevelopmentToken, type Role } from '@arc/auth';
import { configureServiceApp } from '../bootstrap';
import { connectServiceConsumers } from '../service/run-service';

export interface CallOptions {
  body?: unknown;
  /** The caller's roles, sent as a development token; default admin; null sends no token at all. */
  roles?: Role[] | null;
  sub?: string;
  /** The token's approval level (credit approvals); default none. */
  approvalLevel?: number;
  /** Sent as the Idempotency-Key header. */
  key?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface ServiceUnderTest {
  app: INestApplication;
  baseUrl: string;
  /** A real HTTP request to the service, as a member of the given departments. */
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

/**
 * Boots a service's module the way its main.ts does (platform configuration, the consumers its
 * serviceModule declares attached, real HTTP on a free port), for integration tests that drive it over
 * HTTP against the real servers. `connectConsumers` replaces the declared consumer wiring.
 */
export async function startServiceUnderTest(
  module: Type | DynamicModule,
  connectConsumers: (app: INestApplication) => Promise<unknown> = connectServiceConsumers,
): Promise<ServiceUnderTest> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication({ bufferLogs: true }));
  await connectConsumers(app);
  await app.init();
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  return {
    app,
    baseUrl,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.roles !== null)
        headers.authorization = `Bearer ${mintDevelopmentToken({ sub: options.sub ?? 'alice', roles: options.roles ?? ['admin'], ...(options.approvalLevel === undefined ? {} : { approvalLevel: options.approvalLevel }) })}`;
      if (options.key !== undefined) headers['idempotency-key'] = options.key;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    close: () => app.close(),
  };
}
