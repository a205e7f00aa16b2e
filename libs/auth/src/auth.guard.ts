import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { decideAccess } from './access';
import { actorFromClaims, type ArcClaims } from './claims';
import { ACTOR_KEY, declaredAccessRule } from './decorators';
import { InvalidTokenError, TokenVerifier } from './tokens';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  originalUrl?: string;
  [ACTOR_KEY]?: unknown;
}

interface HttpResponse {
  setHeader?(name: string, value: string): unknown;
}

/**
 * The one guard of every ARC service, registered globally by AuthModule. It fails closed: a route
 * without @Roles or @Public is refused, even to admin.
 */
@Injectable()
export class ArcAuthGuard implements CanActivate {
  private readonly logger = new Logger(ArcAuthGuard.name);
  private readonly reportedUndeclared = new Set<unknown>();

  constructor(@Inject(TokenVerifier) private readonly verifier: TokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers in the same (hybrid) application carry no bearer token: their messages are
    // trusted by contract validation in @arc/messaging, not by this guard.
    if (context.getType() !== 'http') return true;
    const handler = context.getHandler();
    const rule = declaredAccessRule(handler, context.getClass());
    if (rule.kind === 'public') return true;

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const claims = this.authenticate(request, http.getResponse<HttpResponse>());
    const decision = decideAccess(rule, claims.roles);
    switch (decision.outcome) {
      case 'allow':
        request[ACTOR_KEY] = actorFromClaims(claims);
        return true;
      case 'authenticate':
        throw new UnauthorizedException('A bearer token is required');
      case 'forbid':
        if (decision.reason === 'undeclared-route') {
          this.reportUndeclared(handler, `${context.getClass().name}.${handler.name}`);
          throw new ForbiddenException('This route declares no roles, so it is refused to everyone');
        }
        throw new ForbiddenException(`This route requires one of the roles: ${rule.kind === 'roles' ? rule.roles.join(', ') : ''}`);
    }
  }

  private authenticate(request: HttpRequest, response: HttpResponse): ArcClaims {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      response.setHeader?.('WWW-Authenticate', 'Bearer realm="arc"');
      throw new UnauthorizedException('A bearer token is required');
    }
    try {
      return this.verifier.verify(match[1]);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      // The client learns expired vs invalid; the verification detail stays in the debug log.
      this.logger.debug(`refused a token on ${request.method} ${request.originalUrl}: ${error.message}`);
      const description = error.reason === 'expired' ? 'The token has expired' : 'The token is invalid';
      response.setHeader?.('WWW-Authenticate', `Bearer realm="arc", error="invalid_token", error_description="${description}"`);
      throw new UnauthorizedException(description);
    }
  }

  private reportUndeclared(handler: unknown, name: string): void {
    if (this.reportedUndeclared.has(handler)) return;
    this.reportedUndeclared.add(handler);
    this.logger.warn(`${name} has neither @Roles nor @Public: every request to it is refused`);
  }
}
