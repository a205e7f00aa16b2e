import type { Role } from '@arc/auth';
import type { Platform } from './launcher';
import { type DemoClient, type Json, type MoneyJson, euros } from './demo-client';
import { DEMO, type SeedResult } from './demo';
import { until } from './poll';

/** Waits until the read side has caught up with the seeding (business date, alerts and cases settled). */
export async function awaitSettled(client: DemoClient): Promise<void> {
  await until(async () => (await client.ok('projections', 'GET', '/business-date')).lastClosedDay === DEMO.lastClosedDay, {
    timeoutMs: 120_000,
    intervalMs: 250,
    description: `projections to reach ${DEMO.lastClosedDay}`,
  });
  let last = '';
  let stableFor = 0;
  await until(
    async () => {
      const alerts = (await client.ok('risk-alert', 'GET', '/alerts')).alerts as Json[];
      const cases = (await client.ok('collections', 'GET', '/cases')).cases as Json[];
      const now = JSON.stringify([alerts.map((a) => [a.alertId, a.status]), cases.map((c) => [c.caseId, c.status, c.figuresAsOf])]);
      stableFor = now === last ? stableFor + 1 : 0;
      last = now;
      return stableFor >= 4;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: 'alerts and cases to settle' },
  );
}

/** The summary `npm start` prints, every figure fetched over HTTP from the services. */
export async function summary(client: DemoClient, platform: Platform, seeded: SeedResult, infra: { databaseUrl: string }): Promise<string> {
  const lines: string[] = [];
  const names = new Map(seeded.customers.map((c) => [c.id, c.name]));
  const totals = new Map<string, bigint>();
  let notYetDue = 0n;
  let open = 0n;
  const exposures: { name: string; exposure: bigint; limit: bigint; utilisation: number | null }[] = [];
  for (const customer of seeded.customers) {
    const aging = ((await client.ok('projections', 'GET', `/customers/${customer.id}/aging`)).aging as Json[])[0];
    if (aging) {
      notYetDue += BigInt((aging.notYetDue as MoneyJson).amountMinor);
      open += BigInt((aging.totalOpen as MoneyJson).amountMinor);
      for (const bucket of aging.buckets as { label: string; amount: MoneyJson }[]) {
        totals.set(bucket.label, (totals.get(bucket.label) ?? 0n) + BigInt(bucket.amount.amountMinor));
      }
    }
    const exposure = await client.ok('projections', 'GET', `/customers/${customer.id}/exposure`);
    exposures.push({
      name: customer.name,
      exposure: BigInt((exposure.exposure as MoneyJson).amountMinor),
      limit: customer.limitMinor,
      utilisation: exposure.utilisationBasisPoints as number | null,
    });
  }
  const lastClosedDay = (await client.ok('projections', 'GET', '/business-date')).lastClosedDay as string;
  lines.push(
    '',
    `ARC demo company: ${seeded.customers.length} customers, ${seeded.invoices} invoices, ${seeded.payments} payments — last closed day ${lastClosedDay}`,
    '',
  );
  lines.push('Aging (EUR, all customers):');
  lines.push(`  not yet due ${euros(notYetDue.toString()).padStart(16)}`);
  for (const [label, amount] of totals) lines.push(`  ${label.padEnd(11)} ${euros(amount.toString()).padStart(16)}`);
  lines.push(`  open AR     ${euros(open.toString()).padStart(16)}`, '');
  lines.push('Largest exposures:');
  for (const e of exposures.sort((a, b) => (b.exposure > a.exposure ? 1 : b.exposure < a.exposure ? -1 : 0)).slice(0, 5)) {
    const pct = e.utilisation === null ? '—' : percentOfBasisPoints(e.utilisation);
    lines.push(
      `  ${e.name.padEnd(24)} ${euros(e.exposure.toString()).padStart(14)} of ${euros(e.limit.toString()).padStart(12)}  (${pct})`,
    );
  }
  const byName = (a: string | undefined, b: string | undefined): number => (a ?? '').localeCompare(b ?? '');
  const alerts = ((await client.ok('risk-alert', 'GET', '/alerts')).alerts as Json[])
    .filter((a) => a.status === 'open')
    .sort(
      (a, b) =>
        byName(names.get((a.subject as Json).key as string), names.get((b.subject as Json).key as string)) ||
        byName(String(a.ruleId), String(b.ruleId)),
    );
  lines.push('', `Open alerts: ${alerts.length}`);
  for (const a of alerts.slice(0, 10))
    lines.push(`  [${String(a.severity)}] ${names.get((a.subject as Json).key as string) ?? ''}: ${String(a.message)}`);
  if (alerts.length > 10) lines.push(`  … and ${alerts.length - 10} more`);
  const cases = ((await client.ok('collections', 'GET', '/cases')).cases as Json[])
    .filter((c) => c.status === 'open')
    .sort((a, b) => byName(names.get(a.customerId as string), names.get(b.customerId as string)));
  lines.push('', `Open collection cases: ${cases.length}`);
  for (const c of cases.slice(0, 10)) {
    lines.push(
      `  ${(names.get(c.customerId as string) ?? String(c.customerId)).padEnd(24)} overdue ${euros(c.overdue as MoneyJson).padStart(12)}, oldest ${String(c.oldestDaysPastDue)} days past due, opened ${String(c.openedOn)}`,
    );
  }
  if (cases.length > 10) lines.push(`  … and ${cases.length - 10} more`);

  lines.push('', 'Where to look:');
  for (const s of platform.services) lines.push(`  ${s.name.padEnd(12)} ${s.baseUrl}/docs   (log: ${s.logFile})`);
  lines.push('', 'Development tokens (Authorization: Bearer <token>):');
  for (const role of ['sales', 'finance', 'collections', 'legal', 'risk', 'admin'] as Role[])
    lines.push(`  ${role.padEnd(12)} ${client.token([role])}`);
  const bi = new URL(platform.service('projections').databaseUrl);
  bi.username = platform.biRole;
  bi.password = platform.biPassword;
  void infra;
  lines.push('', 'BI (read-only, schema reporting):', `  psql '${bi.toString()}' -c 'select * from reporting.customer_exposure'`);
  lines.push('', 'Ctrl-C stops the six services.');
  return lines.join('\n');
}

/** 6310 basis points as "63.10 %", from the integer, so the display is exact. */
function percentOfBasisPoints(basisPoints: number): string {
  const sign = basisPoints < 0 ? '-' : '';
  const abs = Math.abs(basisPoints);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')} %`;
}
