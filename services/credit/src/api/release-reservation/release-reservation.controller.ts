import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';
import { ReleaseReservationDto } from './release-reservation.dto';
import { GroupAwareCheck } from '../../commands/group-aware-check';

@ApiTags('credit checks')
@Controller('customers/:customerId/reservations/:reservationId/release')
export class ReleaseReservationController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(GroupAwareCheck) private readonly groupAwareCheck: GroupAwareCheck,
  ) {}

  /**
   * 200 `{ reservationId, status }`: releasing a released or consumed reservation changes nothing. 404
   * `RESERVATION_NOT_FOUND` for a reservation this customer never had, 404 `CUSTOMER_NOT_REGISTERED`; nothing appended.
   */
  @Post()
  @HttpCode(200)
  @Roles(ROLE_MATRIX.releaseReservation)
  @Idempotent()
  async release(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Param('reservationId', ParseUUIDPipe) reservationId: string,
    @Body() dto: ReleaseReservationDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ reservationId: string; status: string }> {
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, key),
      actor: actor.id,
      command: { type: 'ReleaseReservation', data: { reservationId, reason: dto.reason } },
    });
    const reservation = newState.status === 'registered' ? newState.reservations.get(reservationId) : undefined;
    // The member's share of its group's limit comes back with it.
    if (newState.status === 'registered' && newState.groupId !== null && reservation?.status === 'released') {
      await this.groupAwareCheck.releaseOnGroup(
        newState.groupId,
        reservationId,
        dto.reason,
        `group-release:released:${reservationId}`,
        actor.id,
      );
    }
    return { reservationId, status: reservation?.status ?? 'unknown' };
  }
}
