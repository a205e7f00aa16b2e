import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, Idempotent, IdempotencyKey, ValidationProblem } from '@arc/platform';
import { fxRateDecider, fxRateStreamId } from '../../domain/fx/fx-rate.decider';
import { ROLE_MATRIX } from '../role-matrix';
import { RecordFxRateDto, type FxRateResponse, type FxRatesResponse } from './fx-rates.dto';

const CURRENCY = /^[A-Z]{3}$/;

/**
 * Recorded FX rates, one per currency pair and business date. A recorded rate is never changed (409
 * `FX_RATE_ALREADY_RECORDED`); the same figure again is a repeat. A customer's exposure converts each
 * other-currency invoice at the rate of the day it was issued (either direction of the pair).
 */
@ApiTags('fx rates')
@Controller('fx-rates')
export class FxRatesController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Record the FX rate of a currency pair for a business date (finance; by hand or imported)' })
  @Roles(ROLE_MATRIX.recordFxRate)
  @Idempotent()
  async record(
    @Body() dto: RecordFxRateDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<FxRateResponse> {
    const streamId = fxRateStreamId(dto.base, dto.quote);
    await this.commands.execute(fxRateDecider, {
      streamId,
      customerId: streamId,
      commandId: key ?? randomUUID(),
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command: {
        type: 'RecordFxRate',
        data: { base: dto.base, quote: dto.quote, rateDate: dto.rateDate, rate: dto.rate, source: dto.source ?? 'manual' },
      },
    });
    const { state } = await this.commands.load(fxRateDecider, streamId);
    return { base: dto.base, quote: dto.quote, rateDate: dto.rateDate, rate: state.get(dto.rateDate) ?? dto.rate };
  }

  @Get(':base/:quote')
  @ApiOperation({ summary: 'Every recorded rate of a currency pair, by business date' })
  @ApiParam({ name: 'base', example: 'USD' })
  @ApiParam({ name: 'quote', example: 'EUR' })
  @ApiOkResponse({ schema: { example: { base: 'USD', quote: 'EUR', rates: [{ rateDate: '2026-01-15', rate: '0.9234' }] } } })
  @Roles(ROLE_MATRIX.readCreditConfiguration)
  async rates(@Param('base') base: string, @Param('quote') quote: string): Promise<FxRatesResponse> {
    const bad = [
      ['base', base],
      ['quote', quote],
    ].filter(([, code]) => !CURRENCY.test(code as string));
    if (bad.length > 0) {
      throw new ValidationProblem(
        bad.map(([field]) => ({ field: field as string, constraint: 'matches', detail: `${field} must be an ISO 4217 code` })),
      );
    }
    const { state } = await this.commands.load(fxRateDecider, fxRateStreamId(base, quote));
    const rates = [...state.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([rateDate, rate]) => ({ rateDate, rate }));
    return { base, quote, rates };
  }
}
