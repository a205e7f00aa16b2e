import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CustomerAgingChanged, dataOf, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { Commands } from '@arc/platform';
import { v5 } from 'uuid';
import { collectionCaseDecider, collectionStreamId, reviewOverdueFrom } from '../domain';
import { applyCaseEvents, type CaseStreamEvent } from '../views/cases.view';

/** The actor of commands the collections service issues itself, in reaction to other contexts' events. */
export const COLLECTIONS_SYSTEM_ACTOR = 'system:collections';

/** Fixed forever: changing it would give a retried review another case id. */
export const CASE_ID_NAMESPACE = '5d0c7f4e-8a51-4a8e-9a3f-2f6c1b7e4d90';

/** The command id of the review an aging event asks for: the same on every redelivery of that event. */
export const reviewCommandId = (agingEventId: string): string => `review-overdue:${agingEventId}`;

/**
 * The id of the case a review opens, if it opens one: derived from the customer and the event that opens
 * the case, so a retry of the review (after a crash between the append and the batch commit) agrees.
 */
export const caseIdFor = (customerId: string, agingEventId: string): string =>
  v5(`collection-case:${customerId}:${agingEventId}`, CASE_ID_NAMESPACE);

const VIEW_KEY = 'collections-cases-view';

/**
 * Turns each CustomerAgingChanged into a ReviewOverdue on the customer's collection stream, and folds the
 * events it decided into the cases view (deferred to the end of the batch, in its transaction).
 */
@Controller()
export class AgingConsumer {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @EventPattern(CustomerAgingChanged.type)
  async customerAgingChanged(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    // A rebuild replays the group for the receivables view; the cases view is rebuilt from the store, and an aging
    // event that decided nothing then would decide against today's case if reviewed again.
    if (ctx.replaying) return;
    const aging = dataOf(CustomerAgingChanged, envelope);
    const command = reviewOverdueFrom(aging, caseIdFor(aging.customerId, envelope.eventId));
    const streamId = collectionStreamId(aging.customerId);
    // Appended in the batch's transaction, like the view change below: both commit with the position.
    const result = await this.commands.execute(collectionCaseDecider, {
      streamId,
      customerId: aging.customerId,
      command,
      commandId: reviewCommandId(envelope.eventId),
      causationId: envelope.eventId,
      actor: COLLECTIONS_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
    // The view is a fold of the stream: exactly the events decided.
    for (const event of result.events) {
      ctx.batch.defer<CaseStreamEvent>(VIEW_KEY, { streamId, eventType: event.eventType, data: event.data }, applyCaseEvents);
    }
  }
}
