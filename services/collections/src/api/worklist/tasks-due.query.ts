import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsBusinessDate } from '@arc/platform';

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
