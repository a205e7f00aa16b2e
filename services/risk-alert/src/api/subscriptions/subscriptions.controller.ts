import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import type { Pool } from 'pg';
import { ARC_PG_POOL, Commands, IdempotencyKey, Idempotent, ValidationProblem, transactional } from '@arc/platform';
import { subscriptionDecider, subscriptionStreamId, type SubscriptionCommand } from '../../domain';
import { listOutbox, retryFailed, OUTBOX_STATUSES, type OutboxStatus } from '../../delivery/outbox';
import { SubscriptionsView, subscriptionJson } from '../../views/subscriptions.view';
import { RULE_ID_PATTERN } from '../alert-rules/alert-rules.dto';
import { ROLE_MATRIX } from '../role-matrix';
import { CreateSubscriptionDto } from './subscriptions.dto';

function requireId(field: string, id: string): string {
  if (!RULE_ID_PATTERN.test(id))
    throw new ValidationProblem([{ field, constraint: 'matches', detail: `${field} must be letters, digits, . _ -` }]);
  return id;
}

const EXAMPLE = {
  subscriptionId: 'collections-critical',
  department: 'collections',
  url: 'https://hooks.example.com/arc/alerts',
  secret: 'a-shared-secret-of-32-characters',
  ruleIds: ['utilisation'],
  minSeverity: 'critical',
  scope: { kind: 'customer' },
};

/** Department subscriptions: which alerts go to which webhook (see src/delivery for the signature). */
@ApiTags('alert-subscriptions')
@Controller('alert-subscriptions')
export class SubscriptionsController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(SubscriptionsView) private readonly view: SubscriptionsView,
  ) {}

  /** 201 with the subscription (without its secret); creating the same one again records nothing. */
  @Post()
  @Roles(ROLE_MATRIX.manageSubscriptions)
  @Idempotent()
  @ApiBody({ type: CreateSubscriptionDto, examples: { 'collections, critical utilisation alerts': { value: EXAMPLE } } })
  async create(
    @Body() dto: CreateSubscriptionDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<object> {
    const subscriptionId = dto.subscriptionId ?? key ?? randomUUID();
    const occurredAt = new Date().toISOString();
    return this.run(subscriptionId, key, actor, occurredAt, {
      type: 'CreateSubscription',
      data: {
        subscriptionId,
        department: dto.department,
        url: dto.url,
        secret: dto.secret,
        ruleIds: dto.ruleIds ?? null,
        minSeverity: dto.minSeverity ?? 'info',
        scope: dto.scope === undefined ? null : { kind: dto.scope.kind, key: dto.scope.key ?? null },
        createdBy: actor.id,
        createdAt: occurredAt,
      },
    });
  }

  /** 200 with the subscription, cancelled: nothing more is queued for it; its queued deliveries fail visibly. */
  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.manageSubscriptions)
  @Idempotent()
  async cancel(@Param('id') id: string, @Actor() actor: AuthenticatedActor, @IdempotencyKey() key: string | undefined): Promise<object> {
    const occurredAt = new Date().toISOString();
    return this.run(requireId('id', id), key, actor, occurredAt, {
      type: 'CancelSubscription',
      data: { subscriptionId: id, cancelledBy: actor.id, cancelledAt: occurredAt },
    });
  }

  @Get()
  @Roles(ROLE_MATRIX.readSubscriptions)
  @ApiQuery({ name: 'department', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'cancelled'] })
  async list(@Query('department') department?: string, @Query('status') status?: string): Promise<object> {
    if (status !== undefined && status !== 'active' && status !== 'cancelled') {
      throw new ValidationProblem([{ field: 'status', constraint: 'isIn', detail: 'status must be active or cancelled' }]);
    }
    return {
      subscriptions: await this.view.list({
        ...(department === undefined ? {} : { department }),
        ...(status === undefined ? {} : { status }),
      }),
    };
  }

  private async run(
    subscriptionId: string,
    key: string | undefined,
    actor: AuthenticatedActor,
    occurredAt: string,
    command: SubscriptionCommand,
  ): Promise<object> {
    const result = await this.commands.execute(subscriptionDecider, {
      streamId: subscriptionStreamId(subscriptionId),
      customerId: subscriptionId,
      command,
      commandId: key ?? randomUUID(),
      actor: actor.id,
      occurredAt,
    });
    await this.view.record(result.newState, result.streamVersion);
    return subscriptionJson(result.newState);
  }
}

/** The webhook deliveries: what was sent, what waits for a retry, what failed for good (and a retry of those). */
@ApiTags('alert-subscriptions')
@Controller('alert-deliveries')
export class DeliveriesController {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  @Get()
  @Roles(ROLE_MATRIX.readDeliveries)
  @ApiQuery({ name: 'status', required: false, enum: OUTBOX_STATUSES })
  @ApiQuery({ name: 'subscriptionId', required: false, schema: { type: 'string', pattern: RULE_ID_PATTERN.source } })
  @ApiQuery({ name: 'alertId', required: false, schema: { type: 'string', format: 'uuid' } })
  async list(
    @Query('status') status?: string,
    @Query('subscriptionId') subscriptionId?: string,
    @Query('alertId') alertId?: string,
  ): Promise<object> {
    const errors = [];
    if (status !== undefined && !(OUTBOX_STATUSES as readonly string[]).includes(status)) {
      errors.push({ field: 'status', constraint: 'isIn', detail: `status must be one of ${OUTBOX_STATUSES.join(', ')}` });
    }
    if (subscriptionId !== undefined && !RULE_ID_PATTERN.test(subscriptionId)) {
      errors.push({ field: 'subscriptionId', constraint: 'matches', detail: 'subscriptionId must be letters, digits, . _ -' });
    }
    if (alertId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(alertId)) {
      errors.push({ field: 'alertId', constraint: 'isUuid', detail: 'alertId must be a UUID' });
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
    const deliveries = await listOutbox(this.pool, {
      ...(status === undefined ? {} : { status: status as OutboxStatus }),
      ...(subscriptionId === undefined ? {} : { subscriptionId }),
      ...(alertId === undefined ? {} : { alertId }),
    });
    return { deliveries };
  }

  /** 200: a failed delivery is queued again (attempts from zero); 404 when no failed delivery has that id. */
  @Post(':id/retry')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.retryDelivery)
  @Idempotent()
  async retry(@Param('id') id: string): Promise<object> {
    if (!/^[A-Za-z0-9._-]{1,100}:[0-9a-f-]{36}$/i.test(id)) {
      throw new ValidationProblem([
        { field: 'id', constraint: 'matches', detail: 'id must be a delivery id (<subscriptionId>:<eventId>)' },
      ]);
    }
    if (!(await retryFailed(transactional(this.pool), id))) throw new NotFoundException(`no failed delivery ${id}`);
    return { deliveryId: id, status: 'pending' };
  }
}
