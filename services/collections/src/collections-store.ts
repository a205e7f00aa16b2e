import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL } from '@arc/platform';
import { migrateLetters } from './channels/letters';
import { migrateOutbox } from './channels/outbox';
import { migrateDunningView } from './views/dunning.view';

/** Creates the dunning view's and the outbox's and the letters' tables at start-up (before any consumer or route uses them). */
@Injectable()
export class CollectionsStore implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateDunningView(this.pool);
    await migrateOutbox(this.pool);
    await migrateLetters(this.pool);
  }
}
