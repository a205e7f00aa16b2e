import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { CREDIT, type CreditConfig } from './config';
import { DEFAULT_SCORING_MODEL } from './domain/scoring/default-scoring-model';
import { PROFILE_A, PROFILE_B, PROFILE_C, PROFILE_D } from './domain/scoring/testing/profiles';

type Json = Record<string, unknown>;
const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('credit management over HTTP (assessments, limit requests and approvals) on real servers', () => {
  const suite = useServiceUnderTest<CreditConfig>({ definition: CREDIT, module: (config, options) => AppModule.forRoot(config, options) });
  const { config, db, producer, call, eventCount } = suite;
  const eventsOf = async (streamId: string, type: string): Promise<Json[]> => {
    const { rows } = await db.pool.query<{ data: Json }>(
      'SELECT data FROM events WHERE stream_id = $1 AND event_type = $2 ORDER BY stream_version',
      [streamId, type],
    );
    return rows.map((row) => row.data);
  };

  async function customerWithPolicy(limitMinor = '5000000', creditClass = 'B'): Promise<string> {
    const customerId = randomUUID();
    const registration = {
      customerId,
      legalName: 'Müller GmbH',
      registrationNumber: 'HRB 1',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'industrial',
    };
    expect((await call('POST', '/v1/customers', { body: registration, roles: ['sales'] })).status).toBe(201);
    const policy = {
      creditClass,
      creditLimit: EUR(limitMinor),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer'],
      nextReviewDate: '2027-06-30',
    };
    if (creditClass !== '-')
      expect((await call('PUT', `/v1/customers/${customerId}/credit-policy`, { body: policy, roles: ['finance'] })).status).toBe(200);
    return customerId;
  }

  const assess = (customerId: string, inputs: object, assessmentId = randomUUID()) =>
    call('POST', `/v1/customers/${customerId}/assessments`, {
      roles: ['finance'],
      body: { assessmentId, assessedOn: '2026-01-05', inputs },
    });

  describe('the 5C scorecard', () => {
    it('puts four prepared customers in classes A, B, C and D with the expected scores, explaining each factor', async () => {
      const results: Array<[number, string, string]> = [];
      for (const profile of [PROFILE_A, PROFILE_B, PROFILE_C, PROFILE_D]) {
        const answer = await assess(await customerWithPolicy('0', '-'), profile);
        expect(answer.status).toBe(201);
        const body = answer.body as {
          score: number;
          creditClass: string;
          recommendedLimit: { amountMinor: string };
          modelVersion: number;
          factors: Json[];
        };
        expect(body.factors.map((f) => f['factor'])).toEqual(['character', 'capacity', 'capital', 'collateral', 'conditions']);
        results.push([body.score, body.creditClass, body.recommendedLimit.amountMinor]);
      }
      expect(results).toEqual([
        [91, 'A', '160000000'],
        [65, 'B', '20000000'],
        [48, 'C', '2500000'],
        [11, 'D', '0'],
      ]);
    });

    it('applies a new model version to new assessments only, leaving earlier results alone', async () => {
      const customerId = await customerWithPolicy('0', '-');
      const first = randomUUID();
      const before = await assess(customerId, PROFILE_B, first);
      expect(before.body).toMatchObject({ creditClass: 'B', score: 65 });
      const version = (before.body as { modelVersion: number }).modelVersion;
      const stricter = { ...DEFAULT_SCORING_MODEL, classCutOffs: { A: 85, B: 70, C: 50 } };
      const published = await call('PUT', '/v1/scoring-model', { roles: ['risk'], body: { model: stricter, note: 'stricter B' } });
      expect(published).toMatchObject({ status: 200, body: { version: version + 1 } });
      expect((await assess(customerId, PROFILE_B)).body).toMatchObject({ creditClass: 'C', score: 65, modelVersion: version + 1 });
      // The earlier assessment, repeated, answers what it recorded then; the stored event still names its model.
      expect((await assess(customerId, PROFILE_B, first)).body).toMatchObject({ creditClass: 'B', modelVersion: version });
      const stored = await eventsOf(`customer-${customerId}`, 'CustomerAssessed');
      expect(stored.map((e) => [e['modelVersion'], e['creditClass']])).toEqual([
        [version, 'B'],
        [version + 1, 'C'],
      ]);
      await call('PUT', '/v1/scoring-model', { roles: ['risk'], body: { model: DEFAULT_SCORING_MODEL, note: 'back to the default' } });
    });

    it('answers 400 problem+json to malformed figures and to an incoherent model, appending nothing', async () => {
      const customerId = await customerWithPolicy('0', '-');
      await call('GET', '/v1/scoring-model', { roles: ['sales'] });
      const before = await eventCount();
      const badInputs = await assess(customerId, { ...PROFILE_A, bureauScore: 101, equity: { amountMinor: 1.5, currency: 'EUR' } });
      expect(badInputs.status).toBe(400);
      expect(badInputs.headers.get('content-type')).toContain('application/problem+json');
      const badModel = await call('PUT', '/v1/scoring-model', { roles: ['risk'], body: { model: { factors: [] }, note: 'x' } });
      expect(badModel.status).toBe(400);
      const incoherent = { ...DEFAULT_SCORING_MODEL, classCutOffs: { A: 40, B: 65, C: 45 } };
      expect((await call('PUT', '/v1/scoring-model', { roles: ['risk'], body: { model: incoherent, note: 'x' } })).status).toBe(422);
      expect(await eventCount()).toBe(before);
    });
  });

  describe('limit requests and the approval matrix', () => {
    const request = (customerId: string, limitMinor: string, requestId = randomUUID(), extra: Json = {}) =>
      call('POST', `/v1/customers/${customerId}/limit-requests`, {
        roles: ['sales'],
        sub: 'sam',
        body: { requestId, requestedLimit: EUR(limitMinor), reason: 'spring campaign', requestedOn: '2026-01-10', ...extra },
      });
    const approve = (customerId: string, requestId: string, sub: string, approvalLevel: number, roles: Role[] = ['finance']) =>
      call('POST', `/v1/customers/${customerId}/limit-requests/${requestId}/approve`, { roles, sub, approvalLevel, body: {} });
    const limitOf = async (customerId: string) =>
      ((await call('GET', `/v1/customers/${customerId}`, { roles: ['sales'] })).body as { limit: Json }).limit;

    it('refuses the requester approving their own request: 403 problem+json, nothing appended', async () => {
      const customerId = await customerWithPolicy();
      const requestId = randomUUID();
      expect((await request(customerId, '9000000', requestId)).status).toBe(201);
      const before = await eventCount();
      // Sam holds both roles and a high level: the token subject still makes him the requester.
      const own = await approve(customerId, requestId, 'sam', 3, ['sales', 'finance']);
      expect(own.status).toBe(403);
      expect(own.headers.get('content-type')).toContain('application/problem+json');
      expect(own.body).toMatchObject({ status: 403, code: 'REQUESTER_CANNOT_APPROVE' });
      expect(await eventCount()).toBe(before);
    });

    it('refuses a level-1 approver for a level-2 amount, and lets a level-2 approver change the limit', async () => {
      const customerId = await customerWithPolicy();
      const requestId = randomUUID();
      const requested = await request(customerId, '20000000', requestId);
      expect(requested.body).toMatchObject({ status: 'pending', requirement: { approvals: 1, minimumLevel: 2, finalLevel: 2 } });
      const before = await eventCount();
      const low = await approve(customerId, requestId, 'lena', 1);
      expect(low).toMatchObject({ status: 403, body: { code: 'APPROVAL_LEVEL_TOO_LOW' } });
      expect(await eventCount()).toBe(before);
      expect(await approve(customerId, requestId, 'fiona', 2)).toMatchObject({ status: 200, body: { status: 'approved' } });
      expect(await limitOf(customerId)).toEqual(EUR('20000000'));
    });

    it('takes a two-approval request into effect only after the second approval', async () => {
      const customerId = await customerWithPolicy();
      const requestId = randomUUID();
      expect((await request(customerId, '200000000', requestId)).body).toMatchObject({
        requirement: { approvals: 2, minimumLevel: 2, finalLevel: 3 },
      });
      expect(await approve(customerId, requestId, 'fiona', 2)).toMatchObject({
        status: 200,
        body: { status: 'pending', approvals: [{ subject: 'fiona', level: 2 }] },
      });
      expect(await limitOf(customerId)).toEqual(EUR('5000000'));
      expect(await approve(customerId, requestId, 'carl', 3)).toMatchObject({ status: 200, body: { status: 'approved' } });
      expect(await limitOf(customerId)).toEqual(EUR('200000000'));
      const approved = await eventsOf(`customer-${customerId}`, 'CreditLimitRequestApproved');
      expect(approved).toEqual([
        expect.objectContaining({
          approvers: [
            { subject: 'fiona', level: 2 },
            { subject: 'carl', level: 3 },
          ],
          previousLimit: EUR('5000000'),
        }),
      ]);
    });

    it('records a rejection with its reason and leaves the limit', async () => {
      const customerId = await customerWithPolicy();
      const requestId = randomUUID();
      await request(customerId, '9000000', requestId);
      const rejected = await call('POST', `/v1/customers/${customerId}/limit-requests/${requestId}/reject`, {
        roles: ['finance'],
        sub: 'fiona',
        approvalLevel: 1,
        body: { reason: 'falling liquidity' },
      });
      expect(rejected).toMatchObject({
        status: 200,
        body: { status: 'rejected', rejection: { by: { subject: 'fiona', level: 1 }, reason: 'falling liquidity' } },
      });
      expect(await limitOf(customerId)).toEqual(EUR('5000000'));
    });

    let calendarVersion = 0;
    async function closeDay(date: string): Promise<void> {
      // Contiguous versions of the calendar stream, as its producer writes them (a repeated version is a redelivery).
      calendarVersion += 1;
      const envelope = {
        eventId: randomUUID(),
        eventType: 'BusinessDayClosed',
        schemaVersion: 1,
        streamId: 'business-calendar',
        streamVersion: calendarVersion,
        customerId: 'business-calendar',
        occurredAt: `${date}T23:00:00.000Z`,
        recordedAt: `${date}T23:00:00.000Z`,
        correlationId: randomUUID(),
        causationId: null,
        actor: 'user:ops',
        data: { date },
      };
      await producer.send({ topic: config.topics.calendar, messages: [{ key: 'business-calendar', value: JSON.stringify(envelope) }] });
    }

    it('lets a temporary limit expire when the day after its end date is closed, after which checks see the old limit', async () => {
      const customerId = await customerWithPolicy();
      const requestId = randomUUID();
      await request(customerId, '9000000', requestId, { temporaryUntil: '2026-03-31' });
      expect(await approve(customerId, requestId, 'lena', 1)).toMatchObject({
        status: 200,
        body: { status: 'approved', temporaryUntil: '2026-03-31' },
      });
      expect(await limitOf(customerId)).toEqual(EUR('9000000'));
      // The view learns of the temporary limit from the credit topic; closing its end date itself ends nothing.
      await waitFor(
        async () => (await db.pool.query('SELECT 1 FROM credit_temporary_limits WHERE customer_id = $1', [customerId])).rowCount === 1,
        {
          description: 'the temporary limit reaches the view',
        },
      );
      await closeDay('2026-03-31');
      await closeDay('2026-04-01');
      await waitFor(async () => JSON.stringify(await limitOf(customerId)) === JSON.stringify(EUR('5000000')), {
        description: 'the limit falls back',
      });
      const expired = await eventsOf(`customer-${customerId}`, 'TemporaryCreditLimitExpired');
      expect(expired).toEqual([
        expect.objectContaining({ endDate: '2026-03-31', closedDate: '2026-04-01', restoredLimit: EUR('5000000') }),
      ]);
      const check = await call('POST', `/v1/customers/${customerId}/credit-checks`, {
        roles: ['sales'],
        body: { checkId: randomUUID(), orderReference: 'SO-1', orderAmount: EUR('6000000'), businessDate: '2026-04-02' },
      });
      expect(check.body).toMatchObject({ passed: false, reason: 'limit-exceeded', limit: EUR('5000000') });
    });

    it('answers 400 problem+json to malformed requests and approvals, appending nothing', async () => {
      const customerId = await customerWithPolicy();
      const before = await eventCount();
      expect((await request(customerId, '-1x')).status).toBe(400);
      expect((await request(customerId, '100', randomUUID(), { temporaryUntil: '2026-02-30' })).status).toBe(400);
      const notAnId = await call('POST', `/v1/customers/${customerId}/limit-requests/not-a-uuid/approve`, {
        roles: ['finance'],
        approvalLevel: 3,
      });
      expect(notAnId.status).toBe(400);
      expect(
        (await call('POST', `/v1/customers/${customerId}/limit-requests/${randomUUID()}/reject`, { roles: ['finance'], body: {} })).status,
      ).toBe(400);
      expect((await call('PUT', '/v1/approval-matrix', { roles: ['risk'], body: { matrix: { currency: 'EUR' }, note: 'x' } })).status).toBe(
        400,
      );
      expect(await eventCount()).toBe(before);
    });
  });

  describe('credit groups', () => {
    it('never lets 20 concurrent checks over two members overshoot the group limit, and passes exactly as many as fit', async () => {
      const parent = await customerWithPolicy('1000000000');
      const subsidiary = await customerWithPolicy('1000000000');
      const groupId = randomUUID();
      const defined = await call('POST', '/v1/credit-groups', {
        roles: ['finance'],
        body: { groupId, name: 'Müller Holding', parentCustomerId: parent, groupLimit: EUR('100000') },
      });
      expect(defined.status).toBe(201);
      expect(
        (await call('POST', `/v1/credit-groups/${groupId}/members`, { roles: ['finance'], body: { customerId: subsidiary } })).body,
      ).toMatchObject({
        members: [parent, subsidiary],
      });
      const checks = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call('POST', `/v1/customers/${i % 2 === 0 ? parent : subsidiary}/credit-checks`, {
            roles: ['sales'],
            body: { checkId: randomUUID(), orderReference: `SO-${i}`, orderAmount: EUR('7000'), businessDate: '2026-01-10' },
          }),
        ),
      );
      expect(checks.map((c) => c.status)).toEqual(Array(20).fill(201));
      const passed = checks.filter((c) => c.body['passed'] === true);
      // 14 × 70.00 = 980.00 fits the group limit of 1,000.00; a 15th would not. Each member's own limit is far away.
      expect(passed).toHaveLength(14);
      expect(new Set(checks.filter((c) => c.body['passed'] === false).map((c) => c.body['reason']))).toEqual(
        new Set(['group-limit-exceeded']),
      );
      expect((await call('GET', `/v1/credit-groups/${groupId}`, { roles: ['sales'] })).body).toMatchObject({
        exposure: EUR('98000'),
        groupLimit: EUR('100000'),
      });
    });

    it('refuses a customer already in another group, and answers 400 to a malformed group', async () => {
      const parent = await customerWithPolicy();
      const other = await customerWithPolicy();
      await call('POST', '/v1/credit-groups', {
        roles: ['finance'],
        body: { groupId: randomUUID(), name: 'One', parentCustomerId: parent, groupLimit: EUR('100') },
      });
      const before = await eventCount();
      const second = await call('POST', '/v1/credit-groups', {
        roles: ['finance'],
        body: { groupId: randomUUID(), name: 'Two', parentCustomerId: parent, groupLimit: EUR('100') },
      });
      expect(second).toMatchObject({ status: 409, body: { code: 'ALREADY_IN_ANOTHER_GROUP' } });
      expect(
        (
          await call('POST', '/v1/credit-groups', {
            roles: ['finance'],
            body: { groupId: 'g', name: '', parentCustomerId: other, groupLimit: EUR('1') },
          })
        ).status,
      ).toBe(400);
      expect(
        (await call('POST', `/v1/credit-groups/${randomUUID()}/members`, { roles: ['finance'], body: { customerId: other, extra: 1 } }))
          .status,
      ).toBe(400);
      expect(await eventCount()).toBe(before);
    });
  });
});
