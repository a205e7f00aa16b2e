import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ArcAuthGuard } from './auth.guard';
import { resolveJwtSecret } from './jwt-secret';
import { TokenVerifier } from './tokens';

export interface AuthModuleOptions {
  /** Default: resolveJwtSecret(env) — ARC_JWT_SECRET, or the development default outside production. */
  secret?: string;
  env?: NodeJS.ProcessEnv;
}

/** Registers ArcAuthGuard for every route of the application and provides the TokenVerifier. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    // Resolved here, while the application module is assembled, so a bad production secret stops start-up.
    const secret = options.secret ?? resolveJwtSecret(options.env ?? process.env);
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: TokenVerifier, useValue: new TokenVerifier(secret) },
        { provide: APP_GUARD, useClass: ArcAuthGuard },
      ],
      exports: [TokenVerifier],
    };
  }
}
