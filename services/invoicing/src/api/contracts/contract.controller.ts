import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { toJson } from '@arc/money';
import { Commands, IdempotencyKey, Idempotent, toBusinessDate, toMoney } from '@arc/platform';
import {
  contractDecider,
  contractStreamId,
  REFERENCE_RATES_STREAM_ID,
  referenceRatesDecider,
  type Contract,
  type ContractTerms,
  type ReferenceRates,
} from '../../domain/contract.decider';
import { InvalidPaymentTermsError } from '../../domain/invoice.errors';
import type { LateInterestRule } from '../../domain/late-interest';
import type { PaymentTermsRule } from '../../domain/payment-terms';
import { ROLE_MATRIX } from '../role-matrix';
import { AgreeContractDto, SetReferenceRateDto, type LateInterestDto, type PaymentTermsDto } from './contract.dto';

function paymentTerms(dto: PaymentTermsDto): PaymentTermsRule {
  if (dto.kind === 'net' && dto.netDays !== undefined) return { kind: 'net', netDays: dto.netDays };
  if (dto.kind === 'end-of-month' && dto.daysAfter !== undefined) return { kind: 'end-of-month', daysAfter: dto.daysAfter };
  if (dto.kind === 'instalments' && dto.instalments !== undefined) {
    return {
      kind: 'instalments',
      instalments: dto.instalments.map((i) => ({ dueAfterDays: i.dueAfterDays, shareBasisPoints: i.shareBasisPoints })),
    };
  }
  throw new InvalidPaymentTermsError(
    `terms of kind '${dto.kind}' need ${dto.kind === 'net' ? 'netDays' : dto.kind === 'end-of-month' ? 'daysAfter' : 'instalments'}`,
  );
}

function lateInterest(dto: LateInterestDto | null | undefined): LateInterestRule | null {
  if (dto === undefined || dto === null) return null;
  if (dto.kind === 'fixed' && dto.annualRateBasisPoints !== undefined)
    return { kind: 'fixed', annualRateBasisPoints: dto.annualRateBasisPoints };
  if (dto.kind === 'reference-plus-margin' && dto.marginBasisPoints !== undefined) {
    return { kind: 'reference-plus-margin', marginBasisPoints: dto.marginBasisPoints };
  }
  throw new InvalidPaymentTermsError(
    `late interest of kind '${dto.kind}' needs ${dto.kind === 'fixed' ? 'annualRateBasisPoints' : 'marginBasisPoints'}`,
  );
}

function contractResponse(contractId: string, contract: Contract): ContractTerms & { amendments: number } {
  if (contract.status !== 'agreed') throw new NotFoundException(`no contract ${contractId} was agreed`);
  return { ...contract.terms, amendments: contract.amendments };
}

/**
 * Customer contracts (stream `contract-<id>`): the terms invoices naming them take. POST again with the same id
 * amends the contract (invoices already issued keep their terms); the same content again changes nothing.
 * 422 `PAYMENT_TERMS_INVALID` for terms that can make no due date (shares not adding up to 100 %, a discount
 * window beyond the first due date); 422 `CONTRACT_OF_OTHER_CUSTOMER` when an amendment names another customer.
 */
@ApiTags('contracts')
@Controller()
export class ContractController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @Post('contracts')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.agreeContract)
  @Idempotent()
  async agree(
    @Body() dto: AgreeContractDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<ContractTerms & { amendments: number }> {
    const contractId = (dto.contractId ?? randomUUID()).toLowerCase();
    const customerId = dto.customerId.toLowerCase();
    const terms: ContractTerms = {
      contractId,
      customerId,
      reference: dto.reference,
      signedOn: toBusinessDate(dto.signedOn),
      paymentTerms: paymentTerms(dto.paymentTerms),
      earlyPaymentDiscount: dto.earlyPaymentDiscount
        ? { basisPoints: dto.earlyPaymentDiscount.basisPoints, withinDays: dto.earlyPaymentDiscount.withinDays }
        : null,
      lateInterest: lateInterest(dto.lateInterest),
      fixedCompensation: dto.fixedCompensation ? toJson(toMoney(dto.fixedCompensation, 'fixedCompensation')) : null,
      interestCharging: dto.interestCharging ?? 'month-end',
      disputeResolution: {
        method: dto.disputeResolution.method,
        venue: dto.disputeResolution.venue,
        governingLaw: dto.disputeResolution.governingLaw ?? null,
      },
      evidenceRefs: dto.evidenceRefs ?? [],
    };
    const { newState } = await this.commands.execute(contractDecider, {
      streamId: contractStreamId(contractId),
      command: { type: 'AgreeContract', data: terms },
      commandId: key ?? `${contractId}:${randomUUID()}`,
      customerId,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
    });
    return contractResponse(contractId, newState);
  }

  /** The contract's current terms; 404 when none was agreed. */
  @Get('contracts/:contractId')
  @Roles(ROLE_MATRIX.readContract)
  async contract(@Param('contractId', ParseUUIDPipe) contractId: string): Promise<ContractTerms & { amendments: number }> {
    const id = contractId.toLowerCase();
    const { state } = await this.commands.state(contractDecider, contractStreamId(id));
    return contractResponse(id, state);
  }

  /** 201: the reference rate (e.g. the ECB's) in force from a date, for contracts charging reference + margin. */
  @Post('reference-rates')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.setReferenceRate)
  @Idempotent()
  async setReferenceRate(
    @Body() dto: SetReferenceRateDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<ReferenceRates> {
    const { newState } = await this.commands.execute(referenceRatesDecider, {
      streamId: REFERENCE_RATES_STREAM_ID,
      command: {
        type: 'SetReferenceRate',
        data: { effectiveFrom: toBusinessDate(dto.effectiveFrom), basisPoints: dto.basisPoints, name: dto.name ?? 'reference rate' },
      },
      commandId: key ?? `reference-rate:${dto.effectiveFrom}:${dto.basisPoints}:${dto.name ?? ''}`,
      customerId: REFERENCE_RATES_STREAM_ID,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
    });
    return newState;
  }

  /** Every reference rate set, by the date it takes effect. */
  @Get('reference-rates')
  @Roles(ROLE_MATRIX.readReferenceRates)
  async referenceRates(): Promise<ReferenceRates> {
    return (await this.commands.state(referenceRatesDecider, REFERENCE_RATES_STREAM_ID)).state;
  }
}
