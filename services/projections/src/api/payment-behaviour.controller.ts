import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Roles } from '@arc/auth';
import type { CustomerPaymentBehaviourChangedData } from '@arc/contracts';
import { ARC_PG_POOL } from '@arc/platform';
import { loadPaymentBehaviour } from '../views/behaviour.store';
import { ROLE_MATRIX } from './role-matrix';

/** How the customer pays (docs/kpis.md, payment behaviour), as of the last closed day; what credit reviews read. */
@ApiTags('read models')
@Controller('customers/:customerId/payment-behaviour')
export class PaymentBehaviourController {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  /** The figures of the last day close (as published in CustomerPaymentBehaviourChanged); 404 before the customer's first invoice and close. */
  @Get()
  @Roles(ROLE_MATRIX.readPaymentBehaviour)
  async behaviour(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<CustomerPaymentBehaviourChangedData> {
    const found = await loadPaymentBehaviour(this.pool, customerId);
    if (found === null) throw new NotFoundException(`no payment behaviour is known for customer ${customerId} yet`);
    return found;
  }
}
