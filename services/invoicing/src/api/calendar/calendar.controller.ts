import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, IdempotencyKey, Idempotent, toBusinessDate } from '@arc/platform';
import {
  BUSINESS_CALENDAR_STREAM_ID,
  businessCalendarDecider,
  CALENDAR_KEY,
  type BusinessCalendarCommand,
  type BusinessCalendarState,
} from '../../domain/business-calendar.decider';
import { ROLE_MATRIX } from '../role-matrix';
import { CalendarResponse, CloseDaysDto, CloseDaysResponse, StartCalendarDto } from './calendar.dto';

/**
 * The business calendar (stream `business-calendar`). Closing days appends BusinessDayClosed events, which
 * the relay routes to the calendar topic (arc.calendar); they are how the business date moves for everyone.
 */
@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /** The open day and the last day closed (`businessDate`: deprecated name of openDay); nulls before the calendar started. */
  @Get()
  @Roles(ROLE_MATRIX.readCalendar)
  async calendar(): Promise<CalendarResponse> {
    const { state } = await this.commands.load(businessCalendarDecider, BUSINESS_CALENDAR_STREAM_ID);
    return calendarResponse(state);
  }

  /** 201: the calendar starts with `date` open. The same date again is a no-op; another date 409 `CALENDAR_ALREADY_STARTED`. */
  @Post('start')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.closeBusinessDays)
  @Idempotent()
  async start(
    @Body() dto: StartCalendarDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<CalendarResponse> {
    const { newState } = await this.execute({ type: 'StartCalendar', data: { date: toBusinessDate(dto.date) } }, actor, key);
    return calendarResponse(newState);
  }

  /**
   * 200: closes every open day up to and including `until`, one BusinessDayClosed each, in order. Days already
   * closed are a no-op (`closedDays: []`). Refused: 409 `CALENDAR_NOT_STARTED`; 422 `DAY_BEFORE_CALENDAR_START`,
   * `TOO_MANY_DAYS_TO_CLOSE` (more than 366 at once).
   */
  @Post('close-days')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.closeBusinessDays)
  @Idempotent()
  async closeDays(
    @Body() dto: CloseDaysDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<CloseDaysResponse> {
    const { events, newState } = await this.execute({ type: 'CloseDaysUntil', data: { date: toBusinessDate(dto.until) } }, actor, key);
    const closedDays = events.filter((event) => event.eventType === 'BusinessDayClosed').map((event) => String(event.data.date));
    return { ...calendarResponse(newState), closedDays };
  }

  private execute(command: BusinessCalendarCommand, actor: AuthenticatedActor, key: string | undefined) {
    return this.commands.execute(businessCalendarDecider, {
      streamId: BUSINESS_CALENDAR_STREAM_ID,
      command,
      // Without a key a repeat still appends nothing: the decider makes closed days and the same start no-ops.
      commandId: key ?? randomUUID(),
      customerId: CALENDAR_KEY,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
    });
  }
}

function calendarResponse(state: BusinessCalendarState): CalendarResponse {
  if (!state.started) return { started: false, startedOn: null, openDay: null, lastClosedDay: null, businessDate: null };
  return {
    started: true,
    startedOn: state.startedOn,
    openDay: state.openDay,
    lastClosedDay: state.lastClosed,
    businessDate: state.openDay,
  };
}
