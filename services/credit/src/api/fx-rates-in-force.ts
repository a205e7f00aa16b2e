import { Inject, Injectable } from '@nestjs/common';
import { Commands } from '@arc/platform';
import type { FxRate, RateLookup } from '../domain/fx/fx';
import { fxRateDecider, fxRateStreamId } from '../domain/fx/fx-rate.decider';

/** Loads the recorded rates of the currency pairs a conversion needs (both directions), as a pure lookup. */
@Injectable()
export class FxRatesInForce {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  async lookupFor(pairs: ReadonlyArray<readonly [string, string]>): Promise<RateLookup> {
    const rates: FxRate[] = [];
    const streams = new Set(pairs.flatMap(([a, b]) => (a === b ? [] : [`${a}/${b}`, `${b}/${a}`])));
    for (const pair of streams) {
      const [base, quote] = pair.split('/') as [string, string];
      const { state } = await this.commands.load(fxRateDecider, fxRateStreamId(base, quote));
      for (const [rateDate, rate] of state) rates.push({ base, quote, rateDate, rate });
    }
    return (base, quote, rateDate) => rates.find((r) => r.base === base && r.quote === quote && r.rateDate === rateDate);
  }
}
