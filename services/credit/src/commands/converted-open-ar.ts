import { Inject, Injectable } from '@nestjs/common';
import { add, money, type Money } from '@arc/money';
import { sumInCurrency, type OpenItem } from '../domain/fx/fx';
import { MissingFxRateError } from '../domain/fx/fx.errors';
import { FxRatesInForce } from '../api/fx-rates-in-force';
import { OpenArView } from '../views/open-ar.view';

/**
 * A customer's open AR in one currency (its limit's): invoices in that currency as the view sums them, and
 * every other-currency invoice's open balance converted at the recorded rate of the business date it was
 * issued (exact, half-up once per invoice; `domain/fx/fx.ts`). A missing rate is `FX_RATE_MISSING` (422),
 * never a guess. The common case, one currency only, is one read.
 */
@Injectable()
export class ConvertedOpenAr {
  constructor(
    @Inject(OpenArView) private readonly view: OpenArView,
    @Inject(FxRatesInForce) private readonly fx: FxRatesInForce,
  ) {}

  async inCurrency(customerId: string, currency: string): Promise<Money> {
    const totals = await this.view.openArByCurrency(customerId);
    const own = money(totals.get(currency) ?? 0n, currency);
    const foreign = [...totals.keys()].filter((c) => c !== currency);
    if (foreign.length === 0) return own;
    const rows = (await Promise.all(foreign.map((c) => this.view.openItems(customerId, c)))).flat();
    // An invoice whose issue date never reached the view cannot be converted at its date: refused, not guessed.
    const undated = rows.filter((row) => row.issueDate === null);
    if (undated.length > 0) {
      throw new MissingFxRateError(undated.map((row) => ({ base: row.amount.currency, quote: currency, rateDate: 'unknown' })));
    }
    const items: OpenItem[] = rows.map((row) => ({ amount: row.amount, issueDate: row.issueDate as string }));
    const lookup = await this.fx.lookupFor(foreign.map((c) => [c, currency] as const));
    return add(own, sumInCurrency(items, currency, lookup));
  }
}
