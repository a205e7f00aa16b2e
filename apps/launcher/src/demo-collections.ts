import { type DemoCall, addDays } from './demo-client';

/*
 * The collections part of the demo company (issue 13): a dunning strategy per credit class and the assignment
 * rules before the simulated weeks (so the day closes send reminders to the local mailbox and assign the
 * overdue customers), dunning contacts in the customers' credit files; afterwards, from the worklist, a
 * promise to pay, a repayment plan, a legal case, a reassignment and a logged call, the PDF letters the demand
 * steps sent (attached to their e-mails in the local mailbox), and a dispute left out of dunning.
 */
type Call = DemoCall<'credit' | 'collections' | 'invoicing'>;

const step = (stepId: string, offsetDays: number, action: string, channels: string[], template: string, skippable = true) => ({
  stepId,
  offsetDays,
  action,
  channels,
  template,
  skippable,
});

/** Friendlier for good classes, firmer and faster for poor ones. */
export const DEMO_STRATEGIES: Record<string, { name: string; steps: ReturnType<typeof step>[] }> = {
  A: {
    name: 'Class A: courteous',
    steps: [
      step('friendly-reminder', 3, 'friendly-reminder', ['email'], 'friendly-reminder'),
      step('call', 20, 'call-task', ['phone'], 'call-task'),
      step('demand-letter', 45, 'demand-letter', ['email', 'letter'], 'demand-letter'),
    ],
  },
  B: {
    name: 'Class B: standard',
    steps: [
      step('friendly-reminder', 1, 'friendly-reminder', ['email'], 'friendly-reminder'),
      step('call', 15, 'call-task', ['phone'], 'call-task'),
      step('demand-letter', 30, 'demand-letter', ['email', 'letter'], 'demand-letter'),
      step('credit-hold', 60, 'credit-hold-request', ['credit'], 'credit-hold-notice', false),
    ],
  },
  C: {
    name: 'Class C: firm (the brief)',
    steps: [
      step('pre-due-reminder', -5, 'pre-due-reminder', ['email'], 'pre-due-reminder'),
      step('friendly-reminder', 1, 'friendly-reminder', ['email'], 'friendly-reminder'),
      step('call', 15, 'call-task', ['phone'], 'call-task'),
      step('demand-letter', 30, 'demand-letter', ['email', 'letter'], 'demand-letter'),
      step('credit-hold', 45, 'credit-hold-request', ['credit'], 'credit-hold-notice', false),
      step('lawyer-letter', 60, 'lawyer-letter', ['email', 'legal'], 'lawyer-letter'),
      step('agency', 90, 'agency-handover', ['legal'], 'agency-handover'),
    ],
  },
  D: {
    name: 'Class D: strict',
    steps: [
      step('pre-due-reminder', -7, 'pre-due-reminder', ['email'], 'pre-due-reminder'),
      step('friendly-reminder', 1, 'friendly-reminder', ['email'], 'friendly-reminder'),
      step('call', 7, 'call-task', ['phone'], 'call-task'),
      step('demand-letter', 15, 'demand-letter', ['email', 'letter'], 'demand-letter'),
      step('credit-hold', 21, 'credit-hold-request', ['credit'], 'credit-hold-notice', false),
      step('lawyer-letter', 45, 'lawyer-letter', ['email', 'legal'], 'lawyer-letter'),
    ],
  },
};

export const DEMO_COLLECTORS = ['anna.weber', 'ben.martin', 'carla.rossi'];

/** Before the weeks are simulated: strategies, assignment rules, and a dunning contact per customer. */
export async function seedCollectionsSetup(call: Call, customers: { id: string; name: string }[]): Promise<string[]> {
  for (const [creditClass, strategy] of Object.entries(DEMO_STRATEGIES))
    await call('collections', 'PUT', `/strategies/classes/${creditClass}`, strategy);
  await call('collections', 'PUT', '/worklist/assignment-rules', {
    rules: [
      { collector: 'carla.rossi', minOverdueMinor: '10000000' },
      { collector: 'anna.weber', creditClass: 'D' },
    ],
    roundRobin: DEMO_COLLECTORS,
  });
  for (const c of customers) {
    const slug = c.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await call('credit', 'PUT', `/customers/${c.id}/credit-file/contacts`, {
      contacts: [{ name: `Accounts Payable, ${c.name}`, role: 'accounts payable', email: `ap@${slug}.example`, phone: null }],
    });
  }
  return [
    `collections: a dunning strategy per class A–D, assignment rules for ${DEMO_COLLECTORS.length} collectors, ${customers.length} dunning contacts`,
  ];
}

interface WorklistCase {
  customerId: string;
  legalName: string | null;
  collector: string | null;
  overdue: { amountMinor: string; currency: string };
}

const part = (amountMinor: string, parts: number, currency: string) => ({
  amountMinor: String(BigInt(amountMinor) / BigInt(parts)),
  currency,
});

/** After the weeks: from the worklist's top cases, a legal case, a promise, a plan, a reassignment and a call. */
export async function seedCollectionsCases(
  call: Call,
  until: (check: () => Promise<boolean>, what: string) => Promise<void>,
): Promise<string[]> {
  let cases: WorklistCase[] = [];
  let on = '';
  await until(async () => {
    const worklist = await call('collections', 'GET', '/worklist?limit=50');
    // Assigned at the day closes (a customer overdue only since the last close waits for the next one).
    cases = (worklist.cases as WorklistCase[]).filter((c) => c.collector !== null);
    on = String(worklist.on);
    return cases.length >= 4;
  }, 'the collections worklist to list four assigned customers');
  const [legal, promise, plan, reassigned] = cases as [WorklistCase, WorklistCase, WorklistCase, WorklistCase];
  await call('collections', 'POST', `/customers/${legal.customerId}/legal/hand-over`, {
    reason: 'largest overdue debt, no answer to the demand letter',
  });
  await call('collections', 'POST', `/customers/${legal.customerId}/legal/lawyer-letters`, { lawyer: 'Weber & Partner Rechtsanwälte' });
  const currency = promise.overdue.currency;
  await call('collections', 'POST', `/customers/${promise.customerId}/promises`, {
    payments: [{ dueOn: addDays(on, 14), amount: part(promise.overdue.amountMinor, 2, currency) }],
    graceDays: 2,
    note: 'promised on the phone by the CFO',
  });
  await call('collections', 'POST', `/customers/${plan.customerId}/repayment-plans`, {
    instalments: [1, 2, 3].map((n) => ({ dueOn: addDays(on, 30 * n), amount: part(plan.overdue.amountMinor, 3, plan.overdue.currency) })),
    note: 'three monthly instalments agreed',
  });
  const newCollector = DEMO_COLLECTORS.find((c) => c !== reassigned.collector) as string;
  await call('collections', 'POST', `/customers/${reassigned.customerId}/collector`, { collector: newCollector });
  await call('collections', 'POST', `/customers/${reassigned.customerId}/activities`, {
    kind: 'call',
    outcome: 'reached accounts payable: invoice copy requested',
    nextActionOn: addDays(on, 2),
  });
  return [
    `collections: ${cases.length} overdue customers on the worklist, each assigned; legal case for ${legal.legalName ?? legal.customerId}, ` +
      `a promise from ${promise.legalName ?? promise.customerId}, a repayment plan with ${plan.legalName ?? plan.customerId}`,
    await letters(call, cases),
    await disputeLeftOut(call, reassigned, on, until),
  ];
}

/** The PDF letters of the demand steps: attached to their e-mails in the mailbox, and listed per customer. */
async function letters(call: Call, cases: WorklistCase[]): Promise<string> {
  let count = 0;
  let example = '';
  for (const c of cases) {
    const listed = (await call('collections', 'GET', `/customers/${c.customerId}/letters`)).letters as { letterId: string }[];
    count += listed.length;
    if (!example && listed[0]) example = ` (e.g. GET /v1/letters/${listed[0].letterId} on collections)`;
  }
  return `collections: ${count} PDF dunning letters for the worklist's customers, each attached to its e-mail in the mailbox${example}`;
}

/**
 * A dispute raised (collections, through invoicing) on a tenth of the oldest overdue invoice of a worklist
 * customer: collections lists the dispute and duns only the rest (a part, so invoicing's own demo disputes after
 * this one still find the invoice open).
 */
async function disputeLeftOut(
  call: Call,
  customer: WorklistCase,
  on: string,
  until: (check: () => Promise<boolean>, what: string) => Promise<void>,
): Promise<string> {
  type Item = { invoiceId: string; invoiceNumber: string; open: { amountMinor: string; currency: string } };
  const openItems = async () =>
    (await call('collections', 'GET', `/customers/${customer.customerId}/open-items`)) as { items: Item[]; disputes: Item[] };
  const [oldest] = (await openItems()).items;
  if (!oldest) return `collections: ${customer.legalName ?? customer.customerId} has nothing open to dispute`;
  const tenth = { amountMinor: String(BigInt(oldest.open.amountMinor) / 10n), currency: oldest.open.currency };
  await call('invoicing', 'POST', `/invoices/${oldest.invoiceId}/disputes`, {
    amount: tenth,
    reasonCode: 'quantity',
    note: 'customer says 1 of 10 pallets never arrived (demo)',
    raisedOn: on,
  });
  await until(
    async () => (await openItems()).disputes.some((d) => d.invoiceId === oldest.invoiceId),
    `collections to leave the disputed part of ${oldest.invoiceNumber} out of dunning`,
  );
  const left = (await openItems()).items.find((i) => i.invoiceId === oldest.invoiceId);
  return (
    `collections: ${tenth.amountMinor} minor units of ${oldest.invoiceNumber} (${customer.legalName ?? customer.customerId}) disputed; ` +
    `dunned from now on: ${left?.open.amountMinor ?? '0'} of ${oldest.open.amountMinor} (GET /v1/customers/${customer.customerId}/open-items)`
  );
}
