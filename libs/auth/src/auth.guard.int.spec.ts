import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthModule } from './auth.module';
import type { AuthenticatedActor } from './claims';
import { Actor, Public, Roles } from './decorators';
import { defineRoleMatrix, type Role } from './roles';
import { signToken, TokenVerifier } from './tokens';

const SECRET = 'http-test-secret-of-at-least-thirty-two-chars';

// The pattern the README recommends: the service's whole policy in one object.
const ROLE_MATRIX = defineRoleMatrix({
  readInvoice: ['finance', 'sales'],
  voidInvoice: ['finance'],
});

@Controller('invoices')
class InvoicesController {
  @Get()
  @Roles(ROLE_MATRIX.readInvoice)
  read(@Actor() actor: AuthenticatedActor): AuthenticatedActor {
    return actor;
  }

  @Get('void')
  @Roles(ROLE_MATRIX.voidInvoice)
  void(): { voided: true } {
    return { voided: true };
  }

  @Get('forgotten')
  forgotten(): string {
    return 'this must never be served';
  }
}

@Controller('status')
@Roles('risk')
class StatusController {
  @Get('open')
  @Public()
  open(): { up: true } {
    return { up: true };
  }

  @Get('restricted')
  restricted(): { risk: true } {
    return { risk: true };
  }
}

describe('ArcAuthGuard over HTTP', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ secret: SECRET })],
      controllers: [InvoicesController, StatusController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  const tokenFor = (roles: Role[], options: { secret?: string; now?: number } = {}): string =>
    signToken(
      { sub: 'alice', roles, businessUnits: ['north'] },
      { secret: options.secret ?? SECRET, expiresIn: '1h', ...(options.now ? { now: options.now } : {}) },
    );

  const get = (path: string, token?: string): Promise<Response> =>
    fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers 401 with a Bearer challenge when no token is sent', async () => {
    const response = await get('/invoices');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="arc"');
  });

  it('answers 401 to a token signed with another secret', async () => {
    const response = await get('/invoices', tokenFor(['finance'], { secret: 'not-the-service-secret-but-long-enough!' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 401 to an expired token', async () => {
    const response = await get('/invoices', tokenFor(['finance'], { now: Date.now() - 2 * 3_600_000 }));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toBe('The token has expired');
  });

  it('answers 401 to another authorization scheme', async () => {
    const response = await fetch(`${baseUrl}/invoices`, { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } });
    expect(response.status).toBe(401);
  });

  it('answers 403 to a valid token without one of the route roles', async () => {
    expect((await get('/invoices/void', tokenFor(['sales']))).status).toBe(403);
  });

  it('serves a caller holding one of the route roles, and hands the handler the actor (approval level 0 without the claim)', async () => {
    const response = await get('/invoices', tokenFor(['sales']));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'user:alice', sub: 'alice', roles: ['sales'], businessUnits: ['north'], approvalLevel: 0 });
  });

  it('lets admin through a route it is not listed on', async () => {
    expect((await get('/invoices/void', tokenFor(['admin']))).status).toBe(200);
  });

  it('refuses a route with no roles declaration with 403, even to admin', async () => {
    expect((await get('/invoices/forgotten', tokenFor(['admin']))).status).toBe(403);
  });

  it('opens a @Public route without a token', async () => {
    expect((await get('/status/open')).status).toBe(200);
  });

  it('applies a controller-level @Roles to handlers that declare nothing themselves', async () => {
    expect([
      (await get('/status/restricted', tokenFor(['finance']))).status,
      (await get('/status/restricted', tokenFor(['risk']))).status,
    ]).toEqual([403, 200]);
  });
});

describe('the mint-token CLI', () => {
  it('prints a token the services accept, carrying the requested subject, roles and scope', async () => {
    const cli = resolve(__dirname, 'cli/mint-token.ts');
    const env = { ...process.env, ARC_JWT_SECRET: SECRET, NODE_ENV: 'development' };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=arc-source',
        '-r',
        '@swc-node/register',
        cli,
        '--roles',
        'finance,sales',
        '--sub',
        'alice',
        '--business-units',
        'north',
      ],
      { env },
    );
    expect(new TokenVerifier(SECRET).verify(stdout.trim())).toEqual({
      sub: 'alice',
      roles: ['finance', 'sales'],
      businessUnits: ['north'],
    });
  });

  it('refuses unknown roles with a usage message and exit code 2', async () => {
    const cli = resolve(__dirname, 'cli/mint-token.ts');
    const run = promisify(execFile)(process.execPath, [
      '--conditions=arc-source',
      '-r',
      '@swc-node/register',
      cli,
      '--roles',
      'boss',
      '--sub',
      'x',
    ]);
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown roles: boss') });
  });
});
