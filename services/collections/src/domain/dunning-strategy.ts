/*
 * Dunning strategy as data, and the pure planning of a dunning run: which steps are due for which item on a
 * business date, each executed at most once. Sending, calling and requesting holds happen elsewhere.
 *
 * Catch-up rule (when runs were missed, or an item arrives already late): only the most advanced step whose
 * day has come is planned, so a customer never gets a friendly reminder and a demand letter on the same day;
 * steps marked `skippable: false` (the credit-hold request) are planned even when a later step overtook them.
 * A step earlier than one already executed for the item is never planned: dunning only escalates.
 */
import { addDays, isAfter, parseBusinessDate, type BusinessDate } from '@arc/clock';
import { DUNNING_STEP_ACTIONS, DUNNING_STEP_CHANNELS, type DunningStepAction, type DunningStepChannel } from '@arc/contracts';
import { DuplicateDunningItemError, InvalidDunningStrategyError } from './collections.errors';

export const DUNNING_ACTIONS = DUNNING_STEP_ACTIONS;
export type DunningAction = DunningStepAction;

export const DUNNING_CHANNELS = DUNNING_STEP_CHANNELS;
export type DunningChannel = DunningStepChannel;

/** The templates the service can render (see src/channels/templates.ts); a step names one. */
export const DUNNING_TEMPLATES = [
  'pre-due-reminder',
  'friendly-reminder',
  'call-task',
  'demand-letter',
  'credit-hold-notice',
  'lawyer-letter',
  'agency-handover',
] as const;
export type DunningTemplate = (typeof DUNNING_TEMPLATES)[number];

export interface DunningStep {
  stepId: string;
  /** Days relative to the due date: −5 is five days before, +30 thirty days after. */
  offsetDays: number;
  action: DunningAction;
  channels: readonly DunningChannel[];
  /** False when the step must run even if a later step's day has already come. */
  skippable: boolean;
  /** What the customer (or the collector, for a task) reads. */
  template: DunningTemplate;
}

export interface DunningStrategy {
  strategyId: string;
  name: string;
  steps: readonly DunningStep[];
}

/** The brief's example strategy; real strategies are configured per customer class. */
export const STANDARD_DUNNING_STRATEGY: DunningStrategy = {
  strategyId: 'standard',
  name: 'Standard',
  steps: [
    {
      stepId: 'pre-due-reminder',
      offsetDays: -5,
      action: 'pre-due-reminder',
      channels: ['email'],
      skippable: true,
      template: 'pre-due-reminder',
    },
    {
      stepId: 'friendly-reminder',
      offsetDays: 1,
      action: 'friendly-reminder',
      channels: ['email'],
      skippable: true,
      template: 'friendly-reminder',
    },
    { stepId: 'call', offsetDays: 15, action: 'call-task', channels: ['phone'], skippable: true, template: 'call-task' },
    {
      stepId: 'demand-letter',
      offsetDays: 30,
      action: 'demand-letter',
      channels: ['email', 'letter'],
      skippable: true,
      template: 'demand-letter',
    },
    {
      stepId: 'credit-hold',
      offsetDays: 45,
      action: 'credit-hold-request',
      channels: ['credit'],
      skippable: false,
      template: 'credit-hold-notice',
    },
    { stepId: 'lawyer-letter', offsetDays: 60, action: 'lawyer-letter', channels: ['legal'], skippable: true, template: 'lawyer-letter' },
    { stepId: 'agency', offsetDays: 90, action: 'agency-handover', channels: ['legal'], skippable: true, template: 'agency-handover' },
  ],
};

export function dunningStrategyProblems(strategy: DunningStrategy): string[] {
  const problems: string[] = [];
  if (strategy.strategyId.trim() === '') problems.push('strategyId must not be empty');
  if (strategy.steps.length === 0) problems.push('a strategy needs at least one step');
  const seen = new Set<string>();
  strategy.steps.forEach((step, i) => {
    if (step.stepId.trim() === '') problems.push(`steps[${i}].stepId must not be empty`);
    if (seen.has(step.stepId)) problems.push(`steps[${i}].stepId ${JSON.stringify(step.stepId)} is used twice`);
    seen.add(step.stepId);
    if (!Number.isSafeInteger(step.offsetDays)) problems.push(`steps[${i}].offsetDays must be a whole number of days`);
    if (!(DUNNING_ACTIONS as readonly string[]).includes(step.action))
      problems.push(`steps[${i}].action ${JSON.stringify(step.action)} is unknown`);
    if (step.channels.length === 0) problems.push(`steps[${i}] needs at least one channel`);
    step.channels.forEach((c) => {
      if (!(DUNNING_CHANNELS as readonly string[]).includes(c))
        problems.push(`steps[${i}].channels has an unknown channel ${JSON.stringify(c)}`);
    });
    if (new Set(step.channels).size !== step.channels.length) problems.push(`steps[${i}].channels names a channel twice`);
    if (!(DUNNING_TEMPLATES as readonly string[]).includes(step.template))
      problems.push(`steps[${i}].template ${JSON.stringify(step.template)} is unknown`);
  });
  return problems;
}

/** An item the run may chase: the caller leaves out paid, disputed and written-off items. */
export interface DunningItem {
  invoiceId: string;
  dueDate: string;
}

export interface ExecutedStep {
  invoiceId: string;
  stepId: string;
}

export interface PlannedStep {
  invoiceId: string;
  stepId: string;
  action: DunningAction;
  channels: readonly DunningChannel[];
  template: DunningTemplate;
  dueDate: BusinessDate;
  /** dueDate + offsetDays: the day the step was meant for (earlier than the run when it is caught up). */
  scheduledOn: BusinessDate;
  offsetDays: number;
}

/**
 * The steps to execute in the run of `businessDate`, item by item in the order given and by offset within an
 * item. Idempotent: with every returned step recorded in `alreadyExecuted`, the same call returns nothing.
 */
export function dueSteps(
  strategy: DunningStrategy,
  items: readonly DunningItem[],
  businessDate: string,
  alreadyExecuted: Iterable<ExecutedStep>,
): PlannedStep[] {
  const problems = dunningStrategyProblems(strategy);
  if (problems.length > 0) throw new InvalidDunningStrategyError(problems);
  const today = parseBusinessDate(businessDate);
  const executed = new Map<string, Set<string>>();
  for (const { invoiceId, stepId } of alreadyExecuted) {
    const forItem = executed.get(invoiceId) ?? new Set<string>();
    forItem.add(stepId);
    executed.set(invoiceId, forItem);
  }
  const steps = [...strategy.steps].sort((a, b) => a.offsetDays - b.offsetDays);
  const seenItems = new Set<string>();
  const planned: PlannedStep[] = [];

  for (const item of items) {
    if (seenItems.has(item.invoiceId)) throw new DuplicateDunningItemError(item.invoiceId);
    seenItems.add(item.invoiceId);
    const dueDate = parseBusinessDate(item.dueDate);
    const done = executed.get(item.invoiceId) ?? new Set<string>();
    const furthestDone = Math.max(-Infinity, ...steps.filter((s) => done.has(s.stepId)).map((s) => s.offsetDays));
    const candidates = steps.filter(
      (s) => !done.has(s.stepId) && s.offsetDays > furthestDone && !isAfter(addDays(dueDate, s.offsetDays), today),
    );
    const latest = candidates[candidates.length - 1];
    if (latest === undefined) continue;
    for (const step of candidates) {
      if (step.offsetDays !== latest.offsetDays && step.skippable) continue;
      planned.push({
        invoiceId: item.invoiceId,
        stepId: step.stepId,
        action: step.action,
        channels: step.channels,
        template: step.template,
        dueDate,
        scheduledOn: addDays(dueDate, step.offsetDays),
        offsetDays: step.offsetDays,
      });
    }
  }
  return planned;
}
