import { applyDecorators, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PROBLEM_TYPES, ProblemException } from '../errors/problem';
import { ReadModels } from './read-models';

const REQUIRED_READ_MODELS = 'arc:read-models:required';

/** Refuses the route with 503 while one of the named read models is being rebuilt from the topics (see ReadModels.rebuilding). */
@Injectable()
export class ReadModelsRebuiltGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ReadModels) private readonly readModels: ReadModels,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const names = this.reflector.get<readonly string[] | undefined>(REQUIRED_READ_MODELS, context.getHandler()) ?? [];
    for (const name of names) {
      if (await this.readModels.rebuilding(name)) {
        throw new ProblemException({
          status: 503,
          type: PROBLEM_TYPES.readModelRebuilding,
          detail: `the ${name} read model is being rebuilt and has not re-applied its history yet: nothing is decided on part of it; retry shortly`,
        });
      }
    }
    return true;
  }
}

/**
 * A command that decides on what these read models say: while one of them is being rebuilt (and holds
 * only part of its history) the route answers 503 problem+json instead of deciding on it. Checked after
 * authentication, before the body is validated or an Idempotency-Key is claimed.
 */
export function RequiresReadModel(...names: string[]): MethodDecorator {
  return applyDecorators(SetMetadata(REQUIRED_READ_MODELS, names), UseGuards(ReadModelsRebuiltGuard));
}
