import { randomUUID } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { Body, Controller, Get, HttpCode, Logger, Module, Param, ParseUUIDPipe, Post, Query, type INestApplication } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import { Actor, Public, Roles, signToken, type AuthenticatedActor, type Role } from '@arc/auth';
import { createTestDatabase, type TestDatabase } from '@arc/testing';
import { configureServiceApp, createServiceApp } from './bootstrap';
import { mapDomainError } from './errors/problem-mapping';
import { PROBLEM_TYPES } from './errors/problem';
import { HealthChecks } from './health/health-checks';
import { Idempotent, IdempotencyKey } from './idempotency/idempotency.interceptor';
import { requestFingerprint } from './idempotency/request-fingerprint';
import { CorrelationId, currentCorrelationId } from './logging/correlation';
import { PlatformModule } from './platform.module';

const SECRET = 'platform-test-secret-of-at-least-32-chars';

class CreditLimitExceeded extends Error {
  constructor(readonly customerId: string) {
    super(`customer ${customerId} would exceed its credit limit`);
  }
}

class LineDto {
  @ApiProperty() @IsString() @Matches(/^\d+$/, { message: 'amountMinor must be a string of digits (minor units)' }) amountMinor!: string;
}

class OpenAccountDto {
  @ApiProperty() @IsUUID() customerId!: string;
  @ApiProperty({ type: [LineDto] }) @ValidateNested({ each: true }) @ArrayMinSize(1) @Type(() => LineDto) lines!: LineDto[];
}

class ThresholdDto {
  @ApiProperty() @IsString() unit!: string;
}

class RuleDto {
  @ApiProperty() @IsString() name!: string;
  @ApiProperty({ type: ThresholdDto }) @ValidateNested() @Type(() => ThresholdDto) threshold!: ThresholdDto;
  @ApiPropertyOptional({ type: ThresholdDto }) @IsOptional() @ValidateNested() @Type(() => ThresholdDto) warning?: ThresholdDto;
}

/** Counts handler executions and lets a test hold a request inside its handler. */
const probe = {
  opened: 0,
  slow: 0,
  failNext: false,
  entered: undefined as undefined | (() => void),
  gate: Promise.resolve(),
};

@Controller('accounts')
class DemoController {
  private readonly logger = new Logger('DemoController');

  @Post()
  @Roles('finance')
  @Idempotent()
  open(
    @Body() dto: OpenAccountDto,
    @Actor() actor: AuthenticatedActor,
    @CorrelationId() correlationId: string,
    @IdempotencyKey() key: string | undefined,
  ): object {
    if (probe.failNext) {
      probe.failNext = false;
      throw new CreditLimitExceeded(dto.customerId);
    }
    probe.opened++;
    this.logger.log('opening an account');
    // `ambient` proves the AsyncLocalStorage context survived body parsing, as event metadata will need.
    return {
      accountId: randomUUID(),
      customerId: dto.customerId,
      actor: actor.id,
      correlationId,
      ambient: currentCorrelationId(),
      key,
      isDto: dto instanceof OpenAccountDto,
    };
  }

  @Post('slow')
  @Roles('finance')
  @Idempotent({ required: true })
  @HttpCode(202)
  async slow(@Body() dto: OpenAccountDto): Promise<object> {
    probe.entered?.();
    await probe.gate;
    probe.slow++;
    return { accepted: dto.customerId, run: probe.slow };
  }

  @Post(':id/limit')
  @Roles('finance')
  raise(@Param('id', ParseUUIDPipe) id: string): never {
    throw new CreditLimitExceeded(id);
  }

  @Get('crash')
  @Roles('finance')
  crash(): never {
    throw new Error('secret internal detail: pg at 10.0.0.5');
  }

  @Get(':id')
  @Roles('finance', 'sales')
  get(@Param('id', ParseUUIDPipe) id: string): object {
    return { id };
  }

  @Post('rules/:ruleId')
  @Roles('finance')
  rule(@Param('ruleId') ruleId: string, @Body() dto: RuleDto): object {
    // Trusts the shape it was given, as handlers do: a missing threshold would throw here.
    return { ruleId, unit: dto.threshold.unit, warning: dto.warning?.unit ?? null };
  }

  @Get('search')
  @Roles('finance')
  search(@Query('text') text?: string): object {
    return { text: text ?? null };
  }

  @Get('public/ping')
  @Public()
  ping(): string {
    return 'pong';
  }
}

type Json = Record<string, unknown>;

describe('a service built on @arc/platform', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const logLines: Json[] = [];
  const kafka = { up: true };

  beforeAll(async () => {
    db = await createTestDatabase('platform_http');
    db.pool.on('error', () => undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({
          service: 'demo',
          pgPool: db.pool,
          jwtSecret: SECRET,
          logLevel: 'debug',
          logSink: (line) => logLines.push(JSON.parse(line) as Json),
          readinessChecks: [
            {
              name: 'kafka',
              check: () => {
                if (!kafka.up) throw new Error('broker 10.0.0.7:9092 unreachable');
              },
            },
          ],
          problems: [
            mapDomainError(CreditLimitExceeded, {
              status: 409,
              type: 'urn:arc:problem:credit-limit-exceeded',
              title: 'Credit limit exceeded',
            }),
          ],
        }),
      ],
      controllers: [DemoController],
    }).compile();
    app = configureServiceApp(moduleRef.createNestApplication({ bufferLogs: true }));
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const token = (roles: Role[] = ['finance'], sub = 'alice'): string => signToken({ sub, roles }, { secret: SECRET });

  async function call(
    method: string,
    path: string,
    options: {
      body?: unknown;
      rawBody?: string;
      contentType?: string;
      headers?: Record<string, string>;
      roles?: Role[] | null;
      sub?: string;
    } = {},
  ): Promise<{ status: number; headers: Headers; body: Json; text: string }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.roles !== null) headers.authorization = `Bearer ${token(options.roles ?? ['finance'], options.sub)}`;
    let body: string | undefined;
    if (options.rawBody !== undefined || options.body !== undefined) {
      body = options.rawBody ?? JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: Json = {};
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      // Not JSON (metrics, the docs page): the test reads `text`.
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  const validAccount = () => ({ customerId: randomUUID(), lines: [{ amountMinor: '125000' }] });

  describe('input validation (400 problem+json, never 500)', () => {
    it('refuses an invalid payload with the field errors', async () => {
      const response = await call('POST', '/v1/accounts', { body: { customerId: 'not-a-uuid', lines: [{ amountMinor: 12.5 }] } });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, instance: '/v1/accounts' });
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'customerId', constraint: 'isUuid' }),
          expect.objectContaining({ field: 'lines.0.amountMinor', constraint: 'matches' }),
        ]),
      );
    });

    it('refuses an unknown field instead of dropping it', async () => {
      const response = await call('POST', '/v1/accounts', { body: { ...validAccount(), creditLimit: '1' } });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'creditLimit', constraint: 'whitelistValidation' })]);
    });

    it('refuses a malformed JSON body with 400', async () => {
      const response = await call('POST', '/v1/accounts', { rawBody: '{"customerId": ' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, instance: '/v1/accounts' });
    });

    it('refuses a body that is not JSON with 415', async () => {
      const response = await call('POST', '/v1/accounts', { rawBody: 'customerId=1', contentType: 'application/x-www-form-urlencoded' });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ status: 415 });
    });

    it('refuses an oversized body with 413, not 500', async () => {
      const response = await call('POST', '/v1/accounts', { body: { ...validAccount(), padding: 'x'.repeat(600_000) } });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ status: 413, title: 'Payload Too Large' });
    });

    it('refuses a malformed path parameter with 400', async () => {
      expect((await call('GET', '/v1/accounts/42')).body).toMatchObject({ status: 400, type: 'about:blank' });
    });

    it('hands the handler a DTO instance', async () => {
      expect((await call('POST', '/v1/accounts', { body: validAccount() })).body.isDto).toBe(true);
    });
  });

  describe('hostile input (400 problem+json at the edge, before any handler)', () => {
    const expectRefused = (response: { status: number; headers: Headers; body: Json }, field?: string) => {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: PROBLEM_TYPES.validation, title: 'Invalid request', status: 400 });
      if (field !== undefined) expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    };

    it('refuses a NUL character in any string: a nested body value, a field name, a path or query parameter', async () => {
      const opened = probe.opened;
      expectRefused(
        await call('POST', '/v1/accounts', { body: { customerId: randomUUID(), lines: [{ amountMinor: '1\u0000' }] } }),
        'lines.0.amountMinor',
      );
      expectRefused(await call('POST', '/v1/accounts', { body: { ...validAccount(), 'a\u0000b': 1 } }));
      expectRefused(await call('POST', '/v1/accounts/rules/r%00x', { body: { name: 'n', threshold: { unit: 'days' } } }), 'path');
      expectRefused(await call('GET', '/v1/accounts/search?text=a%00b'), 'query');
      expect(probe.opened).toBe(opened);
    });

    it('refuses a lone UTF-16 surrogate (PostgreSQL jsonb cannot store it) like a NUL', async () => {
      expectRefused(
        await call('POST', '/v1/accounts', { rawBody: `{"customerId":"${randomUUID()}","lines":[{"amountMinor":"\\ud800"}]}` }),
        'lines.0.amountMinor',
      );
    });

    it('answers a NUL in a header, which Node refuses before Express sees the request, with a 400 problem too', async () => {
      const { port } = new URL(baseUrl);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () =>
          socket.write('GET /v1/accounts/search HTTP/1.1\r\nHost: x\r\nX-Note: a\u0000b\r\n\r\n'),
        );
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(answer).toMatch(/Content-Type: application\/problem\+json/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
      });
    });

    it('refuses JSON nested deeper than 32 levels with 400, a thousand levels or a hundred thousand alike', async () => {
      for (const depth of [33, 1_000, 100_000]) {
        const response = await call('POST', '/v1/accounts', { rawBody: `{"customerId":${'['.repeat(depth)}${']'.repeat(depth)}}` });
        expectRefused(response, 'body');
      }
      // Brackets inside strings are text, not nesting.
      expect(
        (await call('POST', '/v1/accounts', { body: { ...validAccount(), lines: [{ amountMinor: '1' }], note: undefined } })).status,
      ).toBe(201);
      expectRefused(
        await call('POST', '/v1/accounts', { body: { customerId: '['.repeat(40), lines: [{ amountMinor: '1' }] } }),
        'customerId',
      );
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'refuses a field named %s like any other unknown field, at any depth',
      async (key) => {
        const opened = probe.opened;
        const id = randomUUID();
        expectRefused(
          await call('POST', '/v1/accounts', { rawBody: `{"customerId":"${id}","lines":[{"amountMinor":"1"}],"${key}":{"x":1}}` }),
          key,
        );
        expectRefused(
          await call('POST', '/v1/accounts', { rawBody: `{"customerId":"${id}","lines":[{"amountMinor":"1","${key}":"x"}]}` }),
          `lines.0.${key}`,
        );
        expectRefused(await call('GET', `/v1/accounts/search?${key}=1`), key);
        expect(probe.opened).toBe(opened);
      },
    );

    it('refuses a body without a required nested object (a rule without its threshold) rather than handing the handler undefined', async () => {
      expectRefused(await call('POST', '/v1/accounts/rules/r1', { body: { name: 'overdue' } }), 'threshold');
      expectRefused(await call('POST', '/v1/accounts/rules/r1', { body: { name: 'overdue', threshold: null } }), 'threshold');
      expectRefused(await call('POST', '/v1/accounts/rules/r1', { body: { name: 'overdue', threshold: [{ unit: 'days' }] } }), 'threshold');
      expectRefused(
        await call('POST', '/v1/accounts', { body: { customerId: randomUUID(), lines: { 0: { amountMinor: '1' } } } }),
        'lines',
      );
    });

    it('accepts an optional nested object left out, and validates it when given', async () => {
      expect((await call('POST', '/v1/accounts/rules/r1', { body: { name: 'overdue', threshold: { unit: 'days' } } })).body).toEqual({
        ruleId: 'r1',
        unit: 'days',
        warning: null,
      });
      expectRefused(
        await call('POST', '/v1/accounts/rules/r1', { body: { name: 'overdue', threshold: { unit: 'days' }, warning: 'soon' } }),
        'warning',
      );
    });

    it('refuses a path that is not percent-encoded UTF-8 with 400, where Express would have thrown a 500', async () => {
      expectRefused(await call('POST', '/v1/accounts/rules/%E0%A4%A', { body: { name: 'n', threshold: { unit: 'days' } } }), 'path');
    });
  });

  describe('errors', () => {
    it('answers an unknown route with 404 problem+json, inside and outside /v1', async () => {
      for (const path of ['/v1/nothing-here', '/nothing-here']) {
        const response = await call('GET', path);
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, instance: path });
      }
    });

    it('answers a mapped domain error with its 409 problem', async () => {
      const id = randomUUID();
      const response = await call('POST', `/v1/accounts/${id}/limit`);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        type: 'urn:arc:problem:credit-limit-exceeded',
        title: 'Credit limit exceeded',
        detail: `customer ${id} would exceed its credit limit`,
      });
    });

    it('answers an unexpected error with a bare 500 and logs it with the correlation id', async () => {
      const response = await call('GET', '/v1/accounts/crash', { headers: { 'x-correlation-id': 'crash-1' } });
      expect(response.status).toBe(500);
      expect(response.text).not.toContain('secret');
      expect(response.body).toMatchObject({ status: 500, correlationId: 'crash-1' });
      expect(logLines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          correlationId: 'crash-1',
          context: 'ProblemFilter',
          stack: expect.stringContaining('secret internal detail'),
        }),
      );
    });

    it('answers missing and insufficient credentials as problem+json 401 and 403', async () => {
      const anonymous = await call('GET', `/v1/accounts/${randomUUID()}`, { roles: null });
      const legal = await call('GET', `/v1/accounts/${randomUUID()}`, { roles: ['legal'] });
      expect([anonymous.status, anonymous.body.status, legal.status, legal.body.status]).toEqual([401, 401, 403, 403]);
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  describe('correlation ids', () => {
    it("echoes the caller's id and carries it into the handler (after body parsing) and every log line of the request", async () => {
      const response = await call('POST', '/v1/accounts', { body: validAccount(), headers: { 'x-correlation-id': 'corr-123' } });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-correlation-id')).toBe('corr-123');
      expect(response.body).toMatchObject({ correlationId: 'corr-123', ambient: 'corr-123' });
      expect(logLines).toContainEqual(
        expect.objectContaining({ service: 'demo', context: 'DemoController', msg: 'opening an account', correlationId: 'corr-123' }),
      );
      expect(logLines).toContainEqual(
        expect.objectContaining({ context: 'http', msg: 'POST /v1/accounts 201', correlationId: 'corr-123', route: '/v1/accounts' }),
      );
    });

    it('keeps the correlation id in the handler when the body arrives after the headers', async () => {
      // The body's second half is sent only once the server has seen the request: the parser then reads
      // it in the socket's async context, not the request's, which loses the id unless it is re-entered.
      const server = app.getHttpServer() as Server;
      const seen = new Promise<void>((resolve) => server.prependOnceListener('request', () => resolve()));
      const url = new URL(baseUrl);
      const body = JSON.stringify(validAccount());
      const response = new Promise<Json>((resolve, reject) => {
        const outgoing = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/v1/accounts',
            headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json', 'x-correlation-id': 'late-body-1' },
          },
          (incoming) => {
            let text = '';
            incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
            incoming.on('end', () => resolve(JSON.parse(text) as Json));
          },
        );
        outgoing.on('error', reject);
        outgoing.flushHeaders();
        outgoing.write(body.slice(0, 10));
        seen.then(() => outgoing.end(body.slice(10)), reject);
      });
      expect(await response).toMatchObject({ correlationId: 'late-body-1', ambient: 'late-body-1' });
    });

    it('generates an id when none (or an unsafe one) is sent, and still echoes it', async () => {
      const none = await call('GET', '/v1/accounts/public/ping');
      const unsafe = await call('GET', '/v1/accounts/public/ping', { headers: { 'x-correlation-id': 'a b' } });
      expect(none.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(unsafe.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('correlates even a request refused before routing', async () => {
      const response = await call('POST', '/v1/accounts', { rawBody: '{', headers: { 'x-correlation-id': 'bad-json-1' } });
      expect(response.headers.get('x-correlation-id')).toBe('bad-json-1');
      expect(response.body.correlationId).toBe('bad-json-1');
    });
  });

  describe('operations endpoints', () => {
    it('serves liveness without a token, outside /v1', async () => {
      expect(await call('GET', '/health/live', { roles: null })).toMatchObject({ status: 200, body: { status: 'up', service: 'demo' } });
      expect((await call('GET', '/v1/health/live', { roles: null })).status).toBe(404);
    });

    it('reports ready while its checks pass, then 503 naming the failed check (not its internals)', async () => {
      const ready = await call('GET', '/health/ready', { roles: null });
      expect(ready.status).toBe(200);
      expect((ready.body.checks as Json[]).map((check) => [check.name, check.status])).toEqual([
        ['postgres', 'up'],
        ['kafka', 'up'],
      ]);
      kafka.up = false;
      try {
        const unready = await call('GET', '/health/ready', { roles: null });
        expect(unready.status).toBe(503);
        expect(unready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(unready.body).toMatchObject({ type: PROBLEM_TYPES.notReady, status: 503, detail: 'Failing checks: kafka' });
        expect(unready.text).not.toContain('10.0.0.7');
      } finally {
        kafka.up = true;
      }
    });

    it('exposes Prometheus metrics with the request histogram by route template, method and status', async () => {
      await call('GET', `/v1/accounts/${randomUUID()}`);
      const metrics = await call('GET', '/metrics', { roles: null });
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const line = metrics.text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('http_request_duration_seconds_count') &&
            l.includes('route="/v1/accounts/:id"') &&
            l.includes('status_code="200"'),
        );
      expect(line).toContain('method="GET"');
      expect(line).toContain('service="demo"');
      expect(metrics.text).toContain('process_cpu_user_seconds_total');
      expect(metrics.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="<unmatched>"[^}]*status_code="404"/);
    });

    it('publishes the OpenAPI document with each route and its bearer security and roles', async () => {
      const { status, body } = await call('GET', '/openapi.json', { roles: null });
      expect(status).toBe(200);
      const paths = body.paths as Record<string, Record<string, Json>>;
      expect(paths['/v1/accounts']?.post).toMatchObject({ security: [{ bearer: [] }], 'x-arc-roles': ['finance'] });
      expect(paths['/v1/accounts']?.post?.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
      );
      expect(paths['/v1/accounts/{id}']?.get).toMatchObject({ 'x-arc-roles': ['finance', 'sales'] });
      expect(paths['/v1/accounts/public/ping']?.get?.security).toBeUndefined();
      expect(body.components).toMatchObject({ securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } });
      expect(Object.keys(paths).filter((path) => path.includes('health') || path.includes('metrics'))).toEqual([]);
      expect((await call('GET', '/docs', { roles: null })).text).toContain('swagger');
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated key and request with the stored response, running the handler once', async () => {
      const key = randomUUID();
      const body = validAccount();
      const before = probe.opened;
      const first = await call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } });
      const second = await call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.text).toBe(first.text);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(probe.opened - before).toBe(1);
      expect(first.body.key).toBe(key);
    });

    it('refuses the same key with a different body with 422', async () => {
      const key = randomUUID();
      await call('POST', '/v1/accounts', { body: validAccount(), headers: { 'idempotency-key': key } });
      const reused = await call('POST', '/v1/accounts', { body: validAccount(), headers: { 'idempotency-key': key } });
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ type: PROBLEM_TYPES.idempotencyKeyReused, status: 422 });
    });

    it("refuses another actor's key with 422 rather than handing over the first actor's response", async () => {
      const key = randomUUID();
      const body = validAccount();
      await call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key }, sub: 'alice' });
      expect((await call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key }, sub: 'mallory' })).status).toBe(422);
    });

    it('runs the handler once when duplicates arrive together', async () => {
      const key = randomUUID();
      const body = validAccount();
      const before = probe.opened;
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } })),
      );
      expect(probe.opened - before).toBe(1);
      const statuses = new Set(responses.map((response) => response.status));
      expect([...statuses].every((status) => status === 201 || status === 409)).toBe(true);
      expect(new Set(responses.filter((response) => response.status === 201).map((response) => response.text)).size).toBe(1);
    });

    it('answers 409 to a duplicate while the first request is still running, then replays its response', async () => {
      const key = randomUUID();
      const body = validAccount();
      let release!: () => void;
      probe.gate = new Promise<void>((resolve) => (release = resolve));
      const entered = new Promise<void>((resolve) => (probe.entered = resolve));
      const before = probe.slow;

      const first = call('POST', '/v1/accounts/slow', { body, headers: { 'idempotency-key': key } });
      await entered;
      const duplicate = await call('POST', '/v1/accounts/slow', { body, headers: { 'idempotency-key': key } });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.type).toBe(PROBLEM_TYPES.idempotencyKeyInProgress);
      expect(duplicate.headers.get('retry-after')).toBe('1');

      release();
      const done = await first;
      const replay = await call('POST', '/v1/accounts/slow', { body, headers: { 'idempotency-key': key } });
      expect([done.status, replay.status]).toEqual([202, 202]);
      expect(replay.text).toBe(done.text);
      expect(probe.slow - before).toBe(1);
      probe.gate = Promise.resolve();
      probe.entered = undefined;
    });

    it('requires the header where the route says so', async () => {
      const response = await call('POST', '/v1/accounts/slow', { body: validAccount() });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });

    it('frees the key of a request that failed, so a retry runs', async () => {
      const key = randomUUID();
      const body = validAccount();
      probe.failNext = true;
      const failed = await call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } });
      const retried = await call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } });
      expect([failed.status, retried.status]).toEqual([409, 201]);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
    });

    it('lets the same request take over a claim abandoned by a crashed request', async () => {
      const key = randomUUID();
      const body = validAccount();
      const hash = requestFingerprint({ method: 'POST', url: '/v1/accounts', actor: 'user:alice', body });
      await db.pool.query(
        `INSERT INTO idempotency_keys (key, route, request_hash, status, claim_id, claimed_at) VALUES ($1, 'POST /v1/accounts', $2, 'in_progress', $3, now() - interval '10 minutes')`,
        [key, hash, randomUUID()],
      );
      const before = probe.opened;
      const response = await call('POST', '/v1/accounts', { body, headers: { 'idempotency-key': key } });
      expect(response.status).toBe(201);
      expect(probe.opened - before).toBe(1);
    });
  });
});

describe('starting a service', () => {
  it('refuses to start an app that skipped configureServiceApp', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forRoot({ service: 'demo', jwtSecret: SECRET, logSink: () => undefined })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toThrow(/configureServiceApp/);
    await app.close();
  });

  it('builds a ready-to-listen app with createServiceApp, which reports unready once shutting down', async () => {
    @Module({ imports: [PlatformModule.forRoot({ service: 'bootstrapped', jwtSecret: SECRET, logSink: () => undefined })] })
    class AppModule {}
    const app = await createServiceApp(AppModule);
    try {
      await app.listen(0, '127.0.0.1');
      const response = await fetch(`${await app.getUrl()}/health/live`);
      expect(await response.json()).toEqual({ status: 'up', service: 'bootstrapped' });
      // What SIGTERM triggers first: the load balancer must stop sending before the server closes.
      app.get(HealthChecks).beforeApplicationShutdown();
      const ready = await fetch(`${await app.getUrl()}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: [{ name: 'shutdown', status: 'down' }] });
    } finally {
      await app.close();
    }
  });
});
