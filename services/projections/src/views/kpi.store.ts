import { addDays, parseBusinessDate, type BusinessDate } from '@arc/clock';
import type { PortfolioKpisChangedData } from '@arc/contracts';
import type { Queryable } from '@arc/event-store';
import { currencyCode, money, type CurrencyCode, type Money } from '@arc/money';
import { kpisChangedData, portfolioKpis, type KpiSegmentKey, type PortfolioKpis } from '../domain';
import { DAILY_KPIS_TABLE, DAILY_SEGMENT_TABLE, MOVEMENTS_TABLE } from './history-schema';
import { EXPOSURE_TABLE, LEDGER_TABLE } from './tables';

/*
 * The inputs of the KPI catalogue per segment × currency for one closed day, read with SQL sums (exact numeric),
 * then computed by the tested formulas of domain/kpis.ts. Segments: the portfolio, each business unit and each
 * credit class the customers have now (the exposure read model). Balances come from the daily snapshots (the
 * ledger as of the day); flows (credit sales, cash collected, write-offs) from the dated ledger and movements.
 */

/** D: the period the flows, DSO and the period ratios are measured over. */
export const KPI_PERIOD_DAYS = 90;
/** How far back countback DSO walks the daily credit sales. */
export const COUNTBACK_HISTORY_DAYS = 365;

type SegmentKind = KpiSegmentKey['kind'];
const SEGMENTS_OF = (alias: string): string =>
  `CROSS JOIN LATERAL (VALUES ('portfolio', ''), ('business-unit', ${alias}.business_unit), ('credit-class', ${alias}.credit_class))
     AS g(kind, key) WHERE g.key IS NOT NULL`;

interface Sums {
  kind: SegmentKind;
  key: string;
  currency: string;
  total: string;
  overdue: string;
  disputed: string;
}

const segmentId = (kind: string, key: string, currency: string): string => `${kind}|${key}|${currency}`;

/** The KPIs of every segment × currency on a closed day (whose snapshot is written). */
export async function computeKpis(db: Queryable, day: BusinessDate, periodDays = KPI_PERIOD_DAYS): Promise<PortfolioKpis[]> {
  const opening = addDays(day, -periodDays);
  const from = addDays(day, 1 - periodDays);
  const balances = async (on: BusinessDate) =>
    (
      await db.query<Sums>(
        `SELECT segment_kind AS kind, segment_key AS key, currency::text AS currency, total_open_minor::text AS total,
                overdue_minor::text AS overdue, disputed_minor::text AS disputed
           FROM ${DAILY_SEGMENT_TABLE} WHERE day = $1::date`,
        [on],
      )
    ).rows;
  const closing = await balances(day);
  const openingRows = new Map((await balances(opening)).map((r) => [segmentId(r.kind, r.key, r.currency), r]));
  // Flows per segment; the customers' segments from the exposure read model.
  const flows = await db.query<{ kind: string; key: string; currency: string; sales: string; collected: string; written_off: string }>(
    `WITH f AS (
       SELECT l.customer_id, l.currency, l.amount_minor AS sales, 0::numeric AS collected, 0::numeric AS written_off
         FROM ${LEDGER_TABLE} l WHERE l.amount_minor IS NOT NULL AND l.issue_date BETWEEN $1::date AND $2::date
       UNION ALL
       SELECT m.customer_id, m.currency, 0,
              CASE m.kind WHEN 'allocated' THEN m.amount_minor WHEN 'allocation-reduced' THEN -m.amount_minor ELSE 0 END,
              CASE m.kind WHEN 'write-off' THEN m.amount_minor ELSE 0 END
         FROM ${MOVEMENTS_TABLE} m WHERE m.effective_on BETWEEN $1::date AND $2::date
     )
     SELECT g.kind, g.key, f.currency::text AS currency, sum(f.sales)::text AS sales, sum(f.collected)::text AS collected,
            sum(f.written_off)::text AS written_off
       FROM f LEFT JOIN ${EXPOSURE_TABLE} e ON e.customer_id = f.customer_id ${SEGMENTS_OF('e')}
      GROUP BY g.kind, g.key, f.currency`,
    [from, day],
  );
  const flowRows = new Map(flows.rows.map((r) => [segmentId(r.kind, r.key, r.currency), r]));
  const daily = await db.query<{ kind: string; key: string; currency: string; day: string; sales: string }>(
    `SELECT g.kind, g.key, l.currency::text AS currency, l.issue_date::text AS day, sum(l.amount_minor)::text AS sales
       FROM ${LEDGER_TABLE} l LEFT JOIN ${EXPOSURE_TABLE} e ON e.customer_id = l.customer_id ${SEGMENTS_OF('e')}
        AND l.amount_minor IS NOT NULL AND l.issue_date BETWEEN $1::date AND $2::date
      GROUP BY g.kind, g.key, l.currency, l.issue_date`,
    [addDays(day, 1 - COUNTBACK_HISTORY_DAYS), day],
  );
  const salesByDay = new Map<string, Map<string, bigint>>();
  for (const r of daily.rows) {
    const id = segmentId(r.kind, r.key, r.currency);
    const days = salesByDay.get(id) ?? new Map<string, bigint>();
    days.set(r.day, BigInt(r.sales));
    salesByDay.set(id, days);
  }

  const ids = new Set([...closing.map((r) => segmentId(r.kind, r.key, r.currency)), ...flowRows.keys()]);
  const closingById = new Map(closing.map((r) => [segmentId(r.kind, r.key, r.currency), r]));
  const result: PortfolioKpis[] = [];
  for (const id of [...ids].sort()) {
    const [kind, key, code] = id.split('|') as [SegmentKind, string, string];
    const currency: CurrencyCode = currencyCode(code);
    const m = (minor: string | undefined): Money => money(BigInt(minor ?? '0'), currency);
    const close = closingById.get(id);
    const flow = flowRows.get(id);
    const days = salesByDay.get(id) ?? new Map<string, bigint>();
    const dailyCreditSales: Money[] = [];
    for (let i = 0; i < COUNTBACK_HISTORY_DAYS; i += 1) dailyCreditSales.push(money(days.get(addDays(day, -i)) ?? 0n, currency));
    result.push(
      portfolioKpis({
        asOf: day,
        segment: { kind, key: kind === 'portfolio' ? null : key },
        currency,
        periodDays,
        openingAr: m(openingRows.get(id)?.total),
        totalAr: m(close?.total),
        overdue: m(close?.overdue),
        creditSales: m(flow?.sales),
        collected: m(flow?.collected),
        writtenOff: m(flow?.written_off),
        disputed: m(close?.disputed),
        dailyCreditSales,
      }),
    );
  }
  return result;
}

/** Replaces the KPI rows of a day. */
export async function saveKpis(db: Queryable, day: BusinessDate, kpis: readonly PortfolioKpis[]): Promise<void> {
  await db.query(`DELETE FROM ${DAILY_KPIS_TABLE} WHERE day = $1::date`, [day]);
  if (kpis.length === 0) return;
  const doc = kpis.map((k) => {
    const data = kpisChangedData(k);
    return {
      segment_kind: data.segment.kind,
      segment_key: data.segment.key ?? '',
      currency: data.currency,
      period_days: data.periodDays,
      data,
    };
  });
  await db.query(
    `INSERT INTO ${DAILY_KPIS_TABLE} (day, segment_kind, segment_key, currency, period_days, data)
     SELECT $1::date, segment_kind, segment_key, currency, period_days, data
       FROM jsonb_to_recordset($2::jsonb) AS x(segment_kind text, segment_key text, currency text, period_days integer, data jsonb)`,
    [day, JSON.stringify(doc)],
  );
}

/** The KPIs stored for a day (or the last closed day with KPIs when none is given). */
export async function loadKpis(
  db: Queryable,
  day: BusinessDate | null,
): Promise<{ day: BusinessDate | null; kpis: PortfolioKpisChangedData[] }> {
  const { rows } = await db.query<{ day: string; data: PortfolioKpisChangedData }>(
    `SELECT day::text AS day, data FROM ${DAILY_KPIS_TABLE}
      WHERE day = coalesce($1::date, (SELECT max(day) FROM ${DAILY_KPIS_TABLE}))
      ORDER BY segment_kind, segment_key, currency`,
    [day],
  );
  const found = rows[0]?.day;
  return { day: found === undefined ? day : parseBusinessDate(found), kpis: rows.map((r) => r.data) };
}
