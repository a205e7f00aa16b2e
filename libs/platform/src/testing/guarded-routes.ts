import { randomUUID } from 'node:crypto';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { declaredAccessRule, mintDevelopmentToken, ROLES, type AccessRule, type Role } from '@arc/auth';
import { API_PREFIX, OPERATIONAL_ROUTES } from '../bootstrap';
import { routeHandlers } from '../http/route-handlers';

/** The departments: every role but admin, which passes every declared route. */
const DEPARTMENTS: readonly Role[] = ROLES.filter((role) => role !== 'admin');

/**
 * The only routes that may answer without a token: probes, scrapes and the API documentation. A business
 * route that ends up open (a stray @Public, a route mounted outside Nest) fails the check instead of
 * hiding among them.
 */
const PUBLIC_PATH = /^\/(?:health(?:\/[\w-]+)*|metrics|openapi\.json|docs(?:\/[\w.-]*)*)$/;

export interface DiscoveredRoute {
  /** Upper case, as sent: GET, POST, … */
  method: string;
  /** The Express path template the app serves, e.g. `/v1/customers/:customerId`. */
  path: string;
  /** `Controller.method`, or `(outside Nest)` for routes registered straight on Express (Swagger UI). */
  handler: string;
  access: AccessRule | { kind: 'outside-nest' };
}

interface ExpressLayer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
}

interface ExpressApp {
  router?: { stack?: ExpressLayer[] };
  _router?: { stack?: ExpressLayer[] };
}

const key = (method: string, path: string) => `${method} ${path}`;

function asArray(value: unknown): string[] {
  if (value === undefined) return [''];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function joinPath(...parts: string[]): string {
  return `/${parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .join('/')}`;
}

/** The routes Express actually serves, whoever registered them. */
function expressRoutes(app: INestApplication): Array<{ method: string; path: string }> {
  const instance = app.getHttpAdapter().getInstance() as ExpressApp;
  const stack = (instance.router ?? instance._router)?.stack;
  if (!stack) throw new Error('cannot read the Express router of the app: is it running on @nestjs/platform-express, and initialised?');
  return stack.flatMap(({ route }) => {
    if (!route || typeof route.path !== 'string') return [];
    const path = route.path;
    return Object.keys(route.methods ?? {})
      .filter((method) => route.methods?.[method])
      .map((method) => ({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path }));
  });
}

/** The HTTP routes Nest mapped from controller metadata, with the access rule the ARC guard enforces on each. */
function nestRoutes(app: INestApplication): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const { controller, name, handler } of routeHandlers(app)) {
    const methodPaths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
    const access = declaredAccessRule(handler, controller);
    for (const controllerPath of asArray(Reflect.getMetadata(PATH_METADATA, controller))) {
      for (const methodPath of asArray(methodPaths)) {
        const unprefixed = joinPath(controllerPath, methodPath);
        const path = OPERATIONAL_ROUTES.includes(unprefixed.slice(1)) ? unprefixed : joinPath(API_PREFIX, unprefixed);
        routes.push({ method, path, handler: `${controller.name}.${name}`, access });
      }
    }
  }
  return routes;
}

/**
 * Every HTTP route of a running app: what Nest mapped from its controllers (with each route's access
 * rule), checked against what Express really serves, so a route cannot escape the list by being
 * registered some other way. Routes Express serves that Nest did not map come back as `outside-nest`.
 */
export function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const nest = nestRoutes(app);
  const served = expressRoutes(app);
  const servedKeys = new Set(served.map(({ method, path }) => key(method, path)));
  const unserved = nest.filter(({ method, path }) => !servedKeys.has(key(method, path)));
  if (unserved.length > 0) {
    throw new Error(
      `route discovery disagrees with Express: Nest maps ${unserved.map((route) => `${key(route.method, route.path)} (${route.handler})`).join(', ')} ` +
        `but Express serves only ${[...servedKeys].join(', ')}`,
    );
  }
  const nestKeys = new Set(nest.map(({ method, path }) => key(method, path)));
  const outside = served
    .filter(({ method, path }) => !nestKeys.has(key(method, path)))
    .map(({ method, path }): DiscoveredRoute => ({ method, path, handler: '(outside Nest)', access: { kind: 'outside-nest' } }));
  return [...nest, ...outside];
}

/** A path template with each parameter filled with a syntactically valid value (a UUID), so the guard, not routing or a pipe, answers. */
export function fillPathParameters(path: string): string {
  return path.replace(/[{}]/g, '').replace(/[:*][A-Za-z_$][\w$]*/g, () => randomUUID());
}

export interface GuardedRouteReport {
  route: DiscoveredRoute;
  /** What was checked: `401`, `401+403`, `401 (open to every department: no 403 to check)`, or `public`. */
  checked: string;
}

interface Answer {
  status: number;
  contentType: string;
  detail: string;
}

async function request(baseUrl: string, method: string, path: string, roles: Role[] | null): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (roles) headers.authorization = `Bearer ${mintDevelopmentToken({ sub: 'route-guard-check', roles })}`;
  // ALL routes answer any method; GET stands for them.
  const response = await fetch(`${baseUrl}${fillPathParameters(path)}`, { method: method === 'ALL' ? 'GET' : method, headers });
  const text = await response.text();
  let detail = text.slice(0, 200);
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    if (typeof body.detail === 'string') detail = body.detail;
  } catch {
    // not JSON: the raw text is the detail
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '(none)', detail };
}

const PROBLEM_JSON = /^application\/problem\+json/;

/**
 * Checks every HTTP route of a running service, discovered from the app itself (so a route added
 * tomorrow is covered tomorrow): without a token it answers 401 problem+json; with a token carrying
 * every department its @Roles does not name, it answers 403 problem+json from the guard. A route open
 * to every department has no such token, so only its 401 is checked (the report says so). Public
 * routes must be health, metrics or documentation; a route declaring neither @Roles nor @Public fails.
 * Throws one error listing every failing route; returns what was checked per route.
 */
export async function expectEveryRouteGuarded(
  service: { app: INestApplication; baseUrl: string },
  { log = (text: string) => console.info(text) }: { log?: (text: string) => void } = {},
): Promise<GuardedRouteReport[]> {
  const routes = discoverRoutes(service.app);
  const failures: string[] = [];
  const report: GuardedRouteReport[] = [];
  const guarded = routes.filter((route) => route.access.kind === 'roles' || route.access.kind === 'undeclared');
  if (guarded.length === 0) failures.push('no guarded route was discovered: the discovery is broken, or the service serves nothing');

  for (const route of routes) {
    const name = `${key(route.method, route.path)} (${route.handler})`;
    const { access } = route;
    if (access.kind === 'public' || access.kind === 'outside-nest') {
      if (!PUBLIC_PATH.test(route.path)) {
        failures.push(
          `${name} answers without a token (${access.kind === 'public' ? '@Public' : 'not a Nest route, so not guarded'}) but is not a health, metrics or documentation route`,
        );
      }
      report.push({ route, checked: 'public' });
      continue;
    }
    if (access.kind === 'undeclared') {
      failures.push(`${name} declares neither @Roles nor @Public: the guard refuses it to everyone`);
      continue;
    }

    const anonymous = await request(service.baseUrl, route.method, route.path, null);
    if (anonymous.status !== 401 || !PROBLEM_JSON.test(anonymous.contentType)) {
      failures.push(
        `${name} without a token answered ${anonymous.status} ${anonymous.contentType} (${anonymous.detail}), expected 401 application/problem+json`,
      );
    }

    const outsiders = DEPARTMENTS.filter((role) => !access.roles.includes(role));
    if (outsiders.length === 0) {
      report.push({ route, checked: '401 (open to every department: no 403 to check)' });
      continue;
    }
    const outsider = await request(service.baseUrl, route.method, route.path, outsiders);
    // The guard's own refusal names the roles; a 403 from a handler or a pipe would not prove the route is guarded.
    if (
      outsider.status !== 403 ||
      !PROBLEM_JSON.test(outsider.contentType) ||
      !outsider.detail.startsWith('This route requires one of the roles')
    ) {
      failures.push(
        `${name} as ${outsiders.join('+')} (allowed: ${access.roles.join(', ')}) answered ${outsider.status} ${outsider.contentType} (${outsider.detail}), ` +
          'expected the guard’s 403 application/problem+json',
      );
    }
    report.push({ route, checked: '401+403' });
  }

  log(
    `${report.filter(({ checked }) => checked !== 'public').length} guarded route(s) checked at ${service.baseUrl}:\n${describeGuardedRoutes(report)}`,
  );
  if (failures.length > 0) throw new Error(`${failures.length} route(s) not guarded as expected:\n- ${failures.join('\n- ')}`);
  return report;
}

/** One line per checked route (and one for the public ones), for the test output. */
export function describeGuardedRoutes(report: readonly GuardedRouteReport[]): string {
  const lines = report
    .filter(({ checked }) => checked !== 'public')
    .map(
      ({ route, checked }) =>
        `${key(route.method, route.path)} ${route.access.kind === 'roles' ? `[${route.access.roles.join(', ')}]` : ''}: ${checked}`,
    );
  const open = report.filter(({ checked }) => checked === 'public').map(({ route }) => key(route.method, route.path));
  return [...lines, `public: ${open.join(', ')}`].join('\n');
}
