// Append → read-model lag of the HTTP benchmark: invoices at a fixed rate, each timed to its ledger row.
import { Agent, request } from 'node:http';
import { Pool } from 'pg';
import { withDatabase, type Platform } from '@arc/launcher';
import { endpoints } from '@arc/testing';
import { fmt, LAG_RATE, LAG_SECONDS, MAX_IN_FLIGHT, progress } from './http-common';

/**
 * Issues invoices at LAG_RATE a second (open loop: a request every 2 ms whatever the answers), and polls
 * projections' ledger table every 10 ms: the lag of an invoice is from its 201 (the append committed) to
 * its ledger row being visible.
 */
export async function measureLag(platform: Platform, token: string, invoice: () => Record<string, unknown>): Promise<string> {
  const db = new Pool({ connectionString: withDatabase(endpoints().databaseUrl, platform.service('projections').databaseName), max: 1 });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(`${platform.url('invoicing')}/v1/invoices`);
  const answeredAt = new Map<string, number>();
  const lags: number[] = [];
  let failed = 0;
  let polling = true;
  const poller = (async () => {
    while (polling || answeredAt.size > 0) {
      const pending = [...answeredAt.keys()];
      if (pending.length > 0) {
        const { rows } = await db.query<{ invoice_id: string }>('SELECT invoice_id FROM projections_ar_ledger WHERE invoice_id = ANY($1)', [
          pending,
        ]);
        const now = performance.now();
        for (const { invoice_id: id } of rows) {
          lags.push(now - (answeredAt.get(id) as number));
          answeredAt.delete(id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const send = (body: Record<string, unknown>) =>
    new Promise<void>((resolve) => {
      const payload = JSON.stringify(body);
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 201) answeredAt.set(body.invoiceId as string, performance.now());
            else failed += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed += 1;
        resolve();
      });
      req.end(payload);
    });
  const begin = performance.now();
  const sent: Promise<void>[] = [];
  const total = LAG_RATE * LAG_SECONDS;
  // Open loop, but bounded: a request due while MAX_IN_FLIGHT are unanswered is skipped (the service is
  // not keeping up with the rate, which the result then says) rather than queued without end.
  let inFlight = 0;
  let skipped = 0;
  for (let i = 0; i < total; i += 1) {
    const wait = begin + (i * 1000) / LAG_RATE - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped += 1;
      continue;
    }
    inFlight += 1;
    sent.push(send(invoice()).finally(() => (inFlight -= 1)));
    if (i % LAG_RATE === 0 && i > 0)
      progress(`lag: ${i / LAG_RATE}/${LAG_SECONDS} s, ${fmt(lags.length)} seen in the ledger, ${fmt(skipped)} skipped`);
  }
  const sendSeconds = (performance.now() - begin) / 1000;
  await Promise.all(sent);
  const achieved = (total - skipped - failed) / sendSeconds;
  polling = false;
  const deadline = performance.now() + 60_000;
  while (answeredAt.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const missing = answeredAt.size;
  answeredAt.clear();
  await poller;
  agent.destroy();
  await db.end();
  const sorted = lags.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  return `p50 ${fmt(at(50), 1)} ms, p99 ${fmt(at(99), 1)} ms, max ${fmt(sorted.at(-1) ?? Number.NaN, 1)} ms (${fmt(achieved)} issued/s, ${fmt(skipped)} skipped as ${MAX_IN_FLIGHT} were in flight, ${failed} failed, ${missing} never seen)`;
}
