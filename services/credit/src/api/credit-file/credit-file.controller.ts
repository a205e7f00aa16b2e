import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { toJson } from '@arc/money';
import { Commands, Idempotent, IdempotencyKey, ValidationProblem, toBusinessDate, toMoney } from '@arc/platform';
import {
  customerCreditAccountDecider,
  customerCreditAccountStreamId,
  type CustomerCreditAccount,
  type CustomerCreditCommand,
} from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';
import { AddEvidenceDto, SetContactsDto, SetInsuranceCoverDto, SetToleranceDto, type CreditFileResponse } from './credit-file.dto';

const FILE_EXAMPLE = {
  customerId: '3f1e2d4c-5b6a-4789-8abc-def012345678',
  company: {
    legalName: 'Müller Maschinenbau GmbH',
    registrationNumber: 'HRB 123456',
    industry: 'machinery',
    country: 'DE',
    businessUnit: 'industrial',
    currency: 'EUR',
  },
  contacts: [{ name: 'Anna Weber', role: 'CFO', email: 'anna.weber@mueller.example', phone: null }],
  evidence: [
    {
      evidenceId: '0b7c8d9e-1f20-4a3b-8c4d-5e6f7a8b9c0d',
      kind: 'bureau-report',
      reference: 'Creditreform 2025-0101',
      documentHash: null,
      receivedOn: '2025-01-04',
      validUntil: '2026-01-03',
      supersedes: null,
      supersededBy: '1c8d9e0f-2031-4b4c-9d5e-6f7a8b9c0d1e',
      addedBy: 'user:sam',
    },
  ],
  tolerance: { basisPoints: 500 },
  insurance: {
    insurer: 'Allianz Trade',
    policyNumber: 'AT-2026-44812',
    insuredAmount: { amountMinor: '4000000', currency: 'EUR' },
    validUntil: '2026-12-31',
  },
  assessments: [
    {
      assessmentId: '9a0c1f5e-27a3-4b8e-9d3c-2f7b8e6a1d40',
      purpose: 'initial',
      assessedOn: '2026-01-05',
      modelVersion: 1,
      score: 65,
      creditClass: 'B',
    },
  ],
};

/**
 * The customer's credit file: company data (from registration), contacts, evidence over time (never
 * deleted; a superseded piece stays, marked), and what qualifies its policy: check tolerance and credit
 * insurance cover. Each write answers the whole file.
 */
@ApiTags('credit file')
@Controller('customers/:customerId')
export class CreditFileController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @Get('credit-file')
  @ApiOperation({
    summary: "The customer's credit file: company data, contacts, every piece of evidence, tolerance, insurance, assessments",
  })
  @ApiOkResponse({ schema: { example: FILE_EXAMPLE } })
  @Roles(ROLE_MATRIX.readCreditStanding)
  async file(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<CreditFileResponse> {
    const { state } = await this.commands.load(customerCreditAccountDecider, customerCreditAccountStreamId(customerId));
    return fileOf(customerId, state);
  }

  @Put('credit-file/contacts')
  @HttpCode(200)
  @ApiOperation({ summary: "Set the credit file's contact list (the whole list)" })
  @ApiOkResponse({ schema: { example: FILE_EXAMPLE } })
  @Roles(ROLE_MATRIX.maintainCreditFile)
  @Idempotent()
  async contacts(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: SetContactsDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<CreditFileResponse> {
    const contacts = dto.contacts.map((c) => ({ name: c.name, role: c.role, email: c.email ?? null, phone: c.phone ?? null }));
    return this.run(customerId, key, actor, { type: 'SetCreditFileContacts', data: { contacts } });
  }

  /** 201 the file; 422 EVIDENCE_NOT_FOUND for a `supersedes` the file does not hold, 409 when that piece was already superseded. */
  @Post('credit-file/evidence')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a piece of evidence to the credit file (who added it comes from the token)' })
  @ApiOkResponse({ schema: { example: FILE_EXAMPLE } })
  @Roles(ROLE_MATRIX.maintainCreditFile)
  @Idempotent()
  async evidence(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: AddEvidenceDto,
    @Actor() actor: AuthenticatedActor,
  ): Promise<CreditFileResponse> {
    if (dto.validUntil !== undefined && dto.validUntil < dto.receivedOn) {
      throw new ValidationProblem([{ field: 'validUntil', constraint: 'order', detail: 'validUntil must not be before receivedOn' }]);
    }
    return this.run(customerId, `evidence:${dto.evidenceId}`, actor, {
      type: 'AddEvidence',
      data: {
        evidenceId: dto.evidenceId,
        kind: dto.kind,
        reference: dto.reference,
        documentHash: dto.documentHash ?? null,
        receivedOn: toBusinessDate(dto.receivedOn),
        validUntil: dto.validUntil === undefined ? null : toBusinessDate(dto.validUntil),
        supersedes: dto.supersedes ?? null,
        addedBy: actor.id,
      },
    });
  }

  @Put('credit-policy/tolerance')
  @HttpCode(200)
  @ApiOperation({ summary: "Set the policy's check tolerance: a share of the limit or an amount (neither: none)" })
  @ApiOkResponse({ schema: { example: FILE_EXAMPLE } })
  @Roles(ROLE_MATRIX.setCreditPolicy)
  @Idempotent()
  async tolerance(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: SetToleranceDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<CreditFileResponse> {
    if (dto.basisPoints !== undefined && dto.amount !== undefined) {
      throw new ValidationProblem([{ field: 'amount', constraint: 'exclusive', detail: 'a tolerance is basisPoints or amount, not both' }]);
    }
    const amount = dto.amount === undefined ? null : toMoney(dto.amount, 'amount');
    if (amount !== null && amount.amountMinor < 0n) {
      throw new ValidationProblem([{ field: 'amount', constraint: 'non-negative', detail: 'a tolerance amount cannot be negative' }]);
    }
    return this.run(customerId, key, actor, { type: 'SetCheckTolerance', data: { basisPoints: dto.basisPoints ?? null, amount } });
  }

  @Put('insurance-cover')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the customer's credit insurance cover: insurer, policy number, insured amount, valid until" })
  @ApiOkResponse({ schema: { example: FILE_EXAMPLE } })
  @Roles(ROLE_MATRIX.setCreditPolicy)
  @Idempotent()
  async insurance(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: SetInsuranceCoverDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<CreditFileResponse> {
    const insuredAmount = toMoney(dto.insuredAmount, 'insuredAmount');
    if (insuredAmount.amountMinor < 0n) {
      throw new ValidationProblem([{ field: 'insuredAmount', constraint: 'non-negative', detail: 'an insured amount cannot be negative' }]);
    }
    return this.run(customerId, key, actor, {
      type: 'SetInsuranceCover',
      data: { insurer: dto.insurer, policyNumber: dto.policyNumber, insuredAmount, validUntil: toBusinessDate(dto.validUntil) },
    });
  }

  private async run(
    customerId: string,
    key: string | undefined,
    actor: AuthenticatedActor,
    command: CustomerCreditCommand,
  ): Promise<CreditFileResponse> {
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, key),
      actor: actor.id,
      command,
    });
    return fileOf(customerId, newState);
  }
}

function fileOf(customerId: string, account: CustomerCreditAccount): CreditFileResponse {
  if (account.status !== 'registered') throw new NotFoundException(`no customer ${customerId} is registered for credit`);
  const { legalName, registrationNumber, industry, country, businessUnit, currency } = account.customer;
  const tolerance = account.tolerance;
  const insurance = account.insurance;
  return {
    customerId,
    company: { legalName, registrationNumber, industry, country, businessUnit, currency },
    contacts: account.contacts.map((c) => ({ ...c })),
    evidence: [...account.evidence.values()].map((e) => ({ ...e })),
    tolerance:
      tolerance === null
        ? null
        : tolerance.kind === 'basis-points'
          ? { basisPoints: tolerance.basisPoints }
          : { amount: toJson(tolerance.amount) },
    insurance:
      insurance === null
        ? null
        : {
            insurer: insurance.insurer,
            policyNumber: insurance.policyNumber,
            insuredAmount: toJson(insurance.insuredAmount),
            validUntil: insurance.validUntil,
          },
    assessments: account.assessments.map((a) => ({
      assessmentId: a.assessmentId,
      purpose: a.purpose,
      assessedOn: a.assessedOn,
      modelVersion: a.modelVersion,
      score: a.score,
      creditClass: a.creditClass,
    })),
  };
}
