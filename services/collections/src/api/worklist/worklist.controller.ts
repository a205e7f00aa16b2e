import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Pool } from 'pg';
import { Roles } from '@arc/auth';
import { ARC_PG_POOL, IsBusinessDate } from '@arc/platform';
import { tasksDue, type TaskView } from '../../views/dunning.queries';
import { DunningStreamCommands } from '../dunning-stream';
import { ROLE_MATRIX } from '../role-matrix';

export class TasksDueQuery {
  @ApiPropertyOptional({ example: '2026-04-16', description: 'default: the open business day' })
  @IsOptional()
  @IsBusinessDate()
  on?: string;
  @ApiPropertyOptional({ example: 100, description: '1–1000, default 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** The collectors' next actions: tasks the dunning created (calls, letters, hand-overs) due on or before a day. */
@ApiTags('worklist')
@Controller('worklist')
export class WorklistController {
  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(DunningStreamCommands) private readonly stream: DunningStreamCommands,
  ) {}

  @Get('tasks')
  @Roles(ROLE_MATRIX.readWorklist)
  async tasks(@Query() query: TasksDueQuery): Promise<{ on: string; tasks: TaskView[] }> {
    const on = query.on ?? (await this.stream.openDay());
    return { on, tasks: await tasksDue(this.pool, on, null, query.limit ?? 100) };
  }
}
