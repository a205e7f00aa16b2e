import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { ReadModels, type ReadModelStatus } from './read-models';

/** Operators' view of the service's read models, and their rebuild. Admin only. */
@ApiTags('admin')
@Controller('admin/read-models')
export class ReadModelsController {
  constructor(@Inject(ReadModels) private readonly readModels: ReadModels) {}

  /** Each read model, where it is rebuilt from and how far behind its source it is. */
  @Get()
  @Roles('admin')
  async status(): Promise<{ readModels: ReadModelStatus[] }> {
    return { readModels: await this.readModels.status() };
  }

  /**
   * Empties every read model of the service and builds it again from its source (the topics, or the
   * service's own events). Answers 202 once store read models are rebuilt and the topic replay has begun;
   * GET shows `caughtUp` when the replay has reached the end of the topics.
   */
  @Post('rebuild')
  @HttpCode(202)
  @Roles('admin')
  async rebuild(@Actor() actor: AuthenticatedActor): Promise<{ readModels: ReadModelStatus[] }> {
    await this.readModels.rebuild(actor.id);
    return { readModels: await this.readModels.status() };
  }
}
