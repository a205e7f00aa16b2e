import { BadRequestException, ForbiddenException, NotFoundException, UnauthorizedException, type ValidationError } from '@nestjs/common';
import { EventContractViolationError, validated } from '@arc/contracts';
import { DomainError } from '@arc/decider';
import { CommandConflictError } from '../event-sourcing/handle-command';
import { ConflictProblem, PROBLEM_TYPES, UnprocessableProblem, ValidationProblem } from './problem';
import { DEFAULT_DOMAIN_ERROR_MAPPINGS, mapDomainError, toProblem, type DomainErrorMapping } from './problem-mapping';
import { fieldErrors } from './validation';

class CreditLimitExceeded extends Error {
  constructor(readonly customerId: string) {
    super(`the order would take customer ${customerId} over its credit limit`);
  }
}
class CustomerUnknown extends Error {}
class ReservationReleased extends DomainError {
  readonly code = 'RESERVATION_RELEASED';
  readonly category = 'state-conflict';
}
class CreditLimitNegative extends DomainError {
  readonly code = 'CREDIT_LIMIT_NEGATIVE';
  readonly category = 'invalid-request';
}
class ReservationNotFound extends DomainError {
  readonly code = 'RESERVATION_NOT_FOUND';
  readonly category = 'not-found';
}
class RequesterCannotApprove extends DomainError {
  readonly code = 'REQUESTER_CANNOT_APPROVE';
  readonly category = 'not-permitted';
}

const mappings: DomainErrorMapping[] = [
  mapDomainError(CreditLimitExceeded, {
    status: 409,
    type: 'urn:arc:problem:credit-limit-exceeded',
    title: 'Credit limit exceeded',
    extensions: (error) => ({ customerId: error.customerId }),
  }),
  mapDomainError(CustomerUnknown, { status: 422 }),
  ...DEFAULT_DOMAIN_ERROR_MAPPINGS,
];
const context = { instance: '/v1/orders', correlationId: 'c-9', mappings };

describe('errors as problem documents', () => {
  it('answers a business-rule violation with its mapped 409 problem and extension members', () => {
    expect(toProblem(new CreditLimitExceeded('cust-1'), context)).toEqual({
      unexpected: false,
      problem: {
        type: 'urn:arc:problem:credit-limit-exceeded',
        title: 'Credit limit exceeded',
        status: 409,
        detail: 'the order would take customer cust-1 over its credit limit',
        instance: '/v1/orders',
        customerId: 'cust-1',
        correlationId: 'c-9',
      },
    });
  });

  it('answers a semantic rejection with 422 and the status title by default', () => {
    expect(toProblem(new CustomerUnknown('no customer 7'), context).problem).toMatchObject({
      status: 422,
      type: 'about:blank',
      title: 'Unprocessable Entity',
    });
  });

  it("answers the decider's CommandConflictError with a 409 version conflict, without its internal message", () => {
    const { problem } = toProblem(new CommandConflictError('invoice-1', 'c-1', 4), context);
    expect(problem).toMatchObject({ status: 409, type: PROBLEM_TYPES.versionConflict });
    expect(problem.detail).not.toContain('invoice-1');
  });

  it("answers a decider's refusal by its category, 409 for the state and 422 for the rules, with its stable code", () => {
    expect(toProblem(new ReservationReleased('reservation r-1 was released'), context).problem).toMatchObject({
      status: 409,
      type: 'urn:arc:problem:reservation-released',
      code: 'RESERVATION_RELEASED',
      detail: 'reservation r-1 was released',
    });
    expect(toProblem(new CreditLimitNegative('a credit limit cannot be negative'), context).problem).toMatchObject({
      status: 422,
      type: 'urn:arc:problem:credit-limit-negative',
      code: 'CREDIT_LIMIT_NEGATIVE',
    });
    expect(toProblem(new RequesterCannotApprove('the requester cannot approve'), context).problem).toMatchObject({
      status: 403,
      type: 'urn:arc:problem:requester-cannot-approve',
      code: 'REQUESTER_CANNOT_APPROVE',
    });
  });

  it('answers a command whose data would make an event its contract refuses with 422 command-data-invalid, listing the problems', () => {
    const refuse = { validate: () => ({ ok: false as const, problems: ['reason must be a non-empty string'] }) };
    let thrown: unknown;
    try {
      validated({ CreditNoteIssued: refuse }, [{ type: 'CreditNoteIssued', data: { reason: ' ' } }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventContractViolationError);
    expect(toProblem(thrown, context).problem).toMatchObject({
      status: 422,
      type: 'urn:arc:problem:command-data-invalid',
      code: 'COMMAND_DATA_INVALID',
      problems: ['reason must be a non-empty string'],
      detail: 'the command would record an invalid CreditNoteIssued: reason must be a non-empty string',
    });
  });

  it('answers a command naming something that does not exist with 404, never a silent success', () => {
    expect(toProblem(new ReservationNotFound('no credit reservation r-9 for this customer'), context).problem).toMatchObject({
      status: 404,
      type: 'urn:arc:problem:reservation-not-found',
      code: 'RESERVATION_NOT_FOUND',
      detail: 'no credit reservation r-9 for this customer',
    });
  });

  it('answers ConflictProblem and UnprocessableProblem thrown by handlers as they say', () => {
    expect(
      toProblem(new ConflictProblem('invoice already paid', { type: 'urn:arc:problem:invoice-paid', invoiceId: 'i-1' }), context).problem,
    ).toEqual({
      type: 'urn:arc:problem:invoice-paid',
      title: 'Conflict with the current state',
      status: 409,
      detail: 'invoice already paid',
      instance: '/v1/orders',
      invoiceId: 'i-1',
      correlationId: 'c-9',
    });
    expect(toProblem(new UnprocessableProblem('due date before issue date'), context).problem).toMatchObject({
      status: 422,
      type: PROBLEM_TYPES.unprocessable,
    });
  });

  it("keeps Nest's HTTP errors' status and message", () => {
    expect(toProblem(new UnauthorizedException('The token has expired'), context).problem).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      detail: 'The token has expired',
    });
    expect(toProblem(new ForbiddenException(), context).problem).toMatchObject({ status: 403, type: 'about:blank' });
    expect(toProblem(new NotFoundException('Cannot GET /v1/nope'), context).problem).toMatchObject({
      status: 404,
      detail: 'Cannot GET /v1/nope',
    });
    expect(toProblem(new BadRequestException(['a is wrong', 'b is wrong']), context).problem.detail).toBe('a is wrong; b is wrong');
  });

  it('answers client errors from Express middleware (a body too large) with their status, never 500', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      statusCode: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(toProblem(tooLarge, context)).toMatchObject({ unexpected: false, problem: { status: 413, detail: 'request entity too large' } });
  });

  it('answers anything unexpected with a 500 that leaks nothing but the correlation id', () => {
    const { problem, unexpected } = toProblem(new Error('connect ECONNREFUSED 10.0.0.5:5432'), context);
    expect(unexpected).toBe(true);
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred; quote correlation id c-9 when reporting it.',
      instance: '/v1/orders',
      correlationId: 'c-9',
    });
  });

  it('does not let a 5xx error that claims to be exposable pass as a client error', () => {
    const internal = Object.assign(new Error('db password wrong'), { status: 500, expose: true });
    expect(toProblem(internal, context).problem.detail).not.toContain('password');
  });
});

describe('validation errors', () => {
  it('are listed per field and constraint, nested paths dotted', () => {
    const errors: ValidationError[] = [
      { property: 'customerId', constraints: { isUuid: 'customerId must be a UUID' }, children: [] },
      {
        property: 'lines',
        children: [
          { property: '0', children: [{ property: 'amountMinor', constraints: { matches: 'amountMinor must be digits' }, children: [] }] },
        ],
      },
      { property: 'colour', constraints: { whitelistValidation: 'property colour should not exist' } },
    ];
    const problem = new ValidationProblem(fieldErrors(errors));
    expect(toProblem(problem, context).problem).toMatchObject({
      type: PROBLEM_TYPES.validation,
      status: 400,
      detail: 'The request has 3 invalid fields',
      errors: [
        { field: 'customerId', constraint: 'isUuid', detail: 'customerId must be a UUID' },
        { field: 'lines.0.amountMinor', constraint: 'matches', detail: 'amountMinor must be digits' },
        { field: 'colour', constraint: 'whitelistValidation', detail: 'property colour should not exist' },
      ],
    });
  });
});
