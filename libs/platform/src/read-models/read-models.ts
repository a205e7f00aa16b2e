import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { readCommittedWith, type StoredEvent } from '@arc/event-store';
import type { ExactlyOnceConsumer } from '@arc/messaging';
import { ARC_PG_POOL } from '../tokens';

/**
 * A read model the service keeps, and where a rebuild takes it from:
 * - `topics`: the other contexts' events, through the service's consumer group. A rebuild empties the
 *   tables and replays the group from the start of its topics (see ExactlyOnceConsumer.replayFromStart);
 *   handlers see `ctx.replaying` and must not issue commands or announce changes again.
 * - `store`: the service's own events. A rebuild empties the tables and applies every stored event, in
 *   global order, with `apply` (which must be the function the live path uses, and idempotent).
 * Never rebuild from a process that decides (a policy issuing commands): only from facts.
 */
export type ReadModel = ReadModelTables &
  ({ source: 'topics' } | { source: 'store'; apply: (tx: PoolClient, events: readonly StoredEvent[]) => Promise<void> });

interface ReadModelTables {
  name: string;
  tables: readonly string[];
  /** What the emptied tables hold before the first event (rows the migrations seed), written in the rebuild's transaction. */
  seed?: (tx: PoolClient) => Promise<void>;
  /**
   * Work the read model still has to finish once its source is applied (a replay that computes derived figures at
   * its end): while it answers true the read model is not caught up.
   */
  pending?: (pool: Pool) => Promise<boolean>;
}

export const READ_MODELS = Symbol.for('arc.platform.readModels');

export interface ReadModelStatus {
  name: string;
  source: ReadModel['source'];
  tables: readonly string[];
  /** Messages on Kafka the service's consumer group has not applied yet (0 for a store read model, rebuilt in one transaction). */
  lag: number;
  caughtUp: boolean;
}

const STORE_PAGE = 1000;

/** The service's read models: their status and their rebuild (POST /v1/admin/read-models/rebuild). */
@Injectable()
export class ReadModels {
  private readonly logger = new Logger('ReadModels');
  private consumer: (() => ExactlyOnceConsumer) | undefined;

  constructor(
    @Inject(READ_MODELS) private readonly models: readonly ReadModel[],
    @Optional() @Inject(ARC_PG_POOL) private readonly pool?: Pool,
  ) {}

  /** Called by connectEventConsumers: the consumer group that keeps the `topics` read models. */
  attachConsumer(consumer: () => ExactlyOnceConsumer): void {
    this.consumer = consumer;
  }

  /**
   * True while the named read model is being rebuilt from the topics and has not yet re-applied what it
   * held before: a decision read from it now would rest on part of the history. (A rebuild from the store
   * happens in one transaction; its readers wait for it.)
   */
  async rebuilding(name: string): Promise<boolean> {
    const model = this.models.find((m) => m.name === name);
    if (!model) throw new Error(`no read model named ${name}`);
    return model.source === 'topics' && (await this.requireConsumer().replaying());
  }

  async status(): Promise<ReadModelStatus[]> {
    const topicsLag = this.models.some((m) => m.source === 'topics') ? await this.topicsLag() : 0;
    return Promise.all(
      this.models.map(async (m) => {
        const lag = m.source === 'topics' ? topicsLag : 0;
        const pending = lag === 0 && m.pending !== undefined ? await m.pending(this.requirePool()) : false;
        return { name: m.name, source: m.source, tables: m.tables, lag, caughtUp: lag === 0 && !pending };
      }),
    );
  }

  /**
   * Rebuilds every read model: the store ones before answering, the topic ones by replaying the consumer
   * group (caught up when status() says so).
   */
  async rebuild(actor: string): Promise<void> {
    this.logger.log(`read-model rebuild requested by ${actor}: ${this.models.map((m) => m.name).join(', ')}`);
    for (const model of this.models) if (model.source === 'store') await this.rebuildFromStore(model);
    const fromTopics = this.models.filter((m) => m.source === 'topics');
    if (fromTopics.length === 0) return;
    await this.requireConsumer().replayFromStart(async (tx) => {
      for (const model of fromTopics) await empty(tx, model);
    });
  }

  private async rebuildFromStore(model: Extract<ReadModel, { source: 'store' }>): Promise<void> {
    const tx = await this.requirePool().connect();
    try {
      await tx.query('BEGIN');
      // TRUNCATE locks the tables until COMMIT: live writers wait, then apply (idempotently) what they
      // were applying. Every event committed before the lock is read below, as no horizon applies.
      await empty(tx, model);
      let after = 0n;
      for (;;) {
        const events = await readCommittedWith(tx, after, STORE_PAGE);
        if (events.length === 0) break;
        await model.apply(tx, events);
        after = events[events.length - 1]?.position.globalPosition ?? after;
      }
      await tx.query('COMMIT');
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    } finally {
      tx.release();
    }
  }

  private async topicsLag(): Promise<number> {
    const partitions = await this.requireConsumer().lag();
    return Number(partitions.reduce((sum, p) => sum + p.lag, 0n));
  }

  private requireConsumer(): ExactlyOnceConsumer {
    if (!this.consumer) throw new Error('read models from topics need the service consumers (connectEventConsumers) to be connected');
    return this.consumer();
  }

  private requirePool(): Pool {
    if (!this.pool) throw new Error('read models from the store need the platform pool (databaseUrl or pgPool)');
    return this.pool;
  }
}

async function empty(tx: PoolClient, model: ReadModel): Promise<void> {
  await tx.query(`TRUNCATE ${model.tables.map(quoteIdent).join(', ')}`);
  await model.seed?.(tx);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
