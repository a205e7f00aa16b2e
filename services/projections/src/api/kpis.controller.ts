import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Roles } from '@arc/auth';
import type { PortfolioKpisChangedData } from '@arc/contracts';
import { ARC_PG_POOL } from '@arc/platform';
import { loadKpis } from '../views/kpi.store';
import { AsOfQuery, asOfOf } from './as-of.query';
import { ROLE_MATRIX } from './role-matrix';

export interface KpisResponse {
  /** The closed day the KPIs are of; null when no day has closed yet. */
  asOf: string | null;
  /** One entry per segment (portfolio, business unit, credit class) × currency, as published in PortfolioKpisChanged. */
  kpis: PortfolioKpisChangedData[];
}

/** The KPI catalogue (docs/kpis.md), computed at each day close per segment and currency. */
@ApiTags('KPIs')
@Controller('kpis')
export class KpisController {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  /** The KPIs of a closed day (default: the latest); an empty list for a day that has not closed. */
  @Get()
  @Roles(ROLE_MATRIX.readKpis)
  async kpis(@Query() query: AsOfQuery): Promise<KpisResponse> {
    const { day, kpis } = await loadKpis(this.pool, asOfOf(query) ?? null);
    return { asOf: day, kpis };
  }
}
