import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL } from '@arc/platform';
import { migrateReadModel, type MigrationOptions } from './schema';

export const READ_MODEL_MIGRATION_OPTIONS = Symbol('READ_MODEL_MIGRATION_OPTIONS');

/** Applies the read model's migrations at module init, before the consumer starts. */
@Injectable()
export class ReadModelMigrator implements OnModuleInit {
  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(READ_MODEL_MIGRATION_OPTIONS) private readonly options: MigrationOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateReadModel(this.pool, this.options);
  }
}
