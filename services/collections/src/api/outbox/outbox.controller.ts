import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import type { Pool } from 'pg';
import { Roles } from '@arc/auth';
import { ARC_PG_POOL } from '@arc/platform';
import { listOutbox, OUTBOX_STATUSES, retryFailed, type OutboxRow, type OutboxStatus } from '../../channels/outbox';
import { ROLE_MATRIX } from '../role-matrix';

export class ListOutboxQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES, example: 'failed' }) @IsOptional() @IsIn(OUTBOX_STATUSES) status?: OutboxStatus;
  @ApiPropertyOptional({ example: 'c0ffee00-0000-4000-8000-000000000001' }) @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional({ example: 100, description: '1–1000, default 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class DeliveryParams {
  @Matches(/^[0-9a-f-]{36}:(email|webhook)$/) deliveryId!: string;
}

export class RetryDeliveryDto {
  @ApiPropertyOptional({ example: 'ap@customer.example', description: 'send to this address instead (a corrected contact)' })
  @IsOptional()
  @IsEmail()
  recipient?: string;
}

/** What the dunning sent or failed to send: the outbox, oldest first (failed rows need someone's attention). */
@ApiTags('outbox')
@Controller('outbox')
export class OutboxController {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  @Get()
  @Roles(ROLE_MATRIX.readOutbox)
  async list(@Query() query: ListOutboxQuery): Promise<{ deliveries: OutboxRow[] }> {
    return { deliveries: await listOutbox(this.pool, query.status, query.customerId, query.limit ?? 100) };
  }

  /** Puts a failed delivery back in the queue (200); 404 unless it is failed. */
  @Post(':deliveryId/retry')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.retryDelivery)
  async retry(@Param() { deliveryId }: DeliveryParams, @Body() dto: RetryDeliveryDto): Promise<{ deliveryId: string; status: 'pending' }> {
    if (!(await retryFailed(this.pool, deliveryId, dto.recipient ?? null))) throw new NotFoundException(`no failed delivery ${deliveryId}`);
    return { deliveryId, status: 'pending' };
  }
}
