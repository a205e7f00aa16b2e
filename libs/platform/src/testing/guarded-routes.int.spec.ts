import { Controller, Get, Module, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Public, Roles } from '@arc/auth';
import { PlatformModule } from '../platform.module';
import { discoverRoutes, expectEveryRouteGuarded, fillPathParameters } from './guarded-routes';
import { startServiceUnderTest, type ServiceUnderTest } from './service-under-test';

@Controller('orders')
class GuardedController {
  @Post()
  @Roles('sales')
  place(): object {
    return {};
  }

  @Get(':orderId/lines/:lineId')
  @Roles('sales', 'finance', 'collections', 'legal', 'risk')
  line(@Param('orderId', ParseUUIDPipe) orderId: string): object {
    return { orderId };
  }
}

@Module({ imports: [PlatformModule.forRoot({ service: 'guarded', logSink: () => undefined })], controllers: [GuardedController] })
class GuardedModule {}

@Controller('leaks')
class LeakyController {
  @Get()
  @Public()
  list(): object {
    return {};
  }

  @Post()
  forgotten(): object {
    return {};
  }
}

@Module({ imports: [PlatformModule.forRoot({ service: 'leaky', logSink: () => undefined })], controllers: [LeakyController] })
class LeakyModule {}

describe('expectEveryRouteGuarded', () => {
  let guarded: ServiceUnderTest;
  let leaky: ServiceUnderTest;
  const quiet = { log: () => undefined };

  beforeAll(async () => {
    guarded = await startServiceUnderTest(GuardedModule);
    leaky = await startServiceUnderTest(LeakyModule);
    // A route registered straight on Express: no Nest guard ever sees it.
    (leaky.app.getHttpAdapter().getInstance() as { get(path: string, handler: () => void): void }).get('/v1/raw', () => undefined);
  });

  afterAll(async () => {
    await guarded?.close();
    await leaky?.close();
  });

  it('fills path parameters with UUIDs', () => {
    expect(fillPathParameters('/v1/orders/:orderId/lines/:lineId')).toMatch(/^\/v1\/orders\/[0-9a-f-]{36}\/lines\/[0-9a-f-]{36}$/);
  });

  it('discovers the routes from the app, with their access rules, and the documentation routes outside Nest', () => {
    const routes = discoverRoutes(guarded.app);
    expect(routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'POST', path: '/v1/orders', access: { kind: 'roles', roles: ['sales'] } }),
        expect.objectContaining({ method: 'GET', path: '/v1/orders/:orderId/lines/:lineId' }),
        expect.objectContaining({ method: 'GET', path: '/health/ready', access: { kind: 'public' } }),
        expect.objectContaining({ method: 'GET', path: '/openapi.json', access: { kind: 'outside-nest' } }),
      ]),
    );
  });

  it('passes a guarded service, checking 401 everywhere and 403 where some department is outside', async () => {
    const report = await expectEveryRouteGuarded(guarded, quiet);
    const checked = Object.fromEntries(
      report.filter((r) => r.checked !== 'public').map((r) => [`${r.route.method} ${r.route.path}`, r.checked]),
    );
    // toMatchObject: the platform may add routes of its own (admin endpoints), which must pass too.
    expect(checked).toMatchObject({
      'POST /v1/orders': '401+403',
      'GET /v1/orders/:orderId/lines/:lineId': '401 (open to every department: no 403 to check)',
    });
  });

  it('fails on a public business route, an undeclared route and a business route outside Nest', async () => {
    const failure = expectEveryRouteGuarded(leaky, quiet);
    await expect(failure).rejects.toThrow(/3 route\(s\) not guarded/);
    await expect(failure).rejects.toThrow(/GET \/v1\/leaks \(LeakyController\.list\) answers without a token \(@Public\)/);
    await expect(failure).rejects.toThrow(/POST \/v1\/leaks \(LeakyController\.forgotten\) declares neither @Roles nor @Public/);
    await expect(failure).rejects.toThrow(/GET \/v1\/raw \(\(outside Nest\)\) answers without a token \(not a Nest route/);
  });
});
