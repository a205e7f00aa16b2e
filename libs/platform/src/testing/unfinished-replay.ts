import type { Pool } from 'pg';
import { REPLAYING_RECHECK_MS } from '@arc/messaging';

/**
 * Runs `during` while the consumer group's position looks like a rebuild's replay that has not yet
 * re-applied what the group had consumed (`next_offset < replay_until`), then puts the position back.
 * Fails when the group has consumed nothing yet, so a test cannot pass without the state it means to set.
 * Set from outside, as another instance's replay would be: the service sees it within REPLAYING_RECHECK_MS.
 */
export async function duringUnfinishedReplay<T>(pool: Pool, groupId: string, during: () => Promise<T>): Promise<T> {
  const marked = await pool.query('UPDATE consumer_offsets SET replay_until = next_offset + 1 WHERE group_id = $1', [groupId]);
  if (marked.rowCount === 0) throw new Error(`consumer group ${groupId} has no position yet: consume something first`);
  await new Promise((resolve) => setTimeout(resolve, REPLAYING_RECHECK_MS + 50));
  try {
    return await during();
  } finally {
    await pool.query('UPDATE consumer_offsets SET replay_until = 0 WHERE group_id = $1', [groupId]);
  }
}
