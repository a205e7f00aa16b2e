import { Topics } from '../topics';
import {
  byType,
  date,
  defineEvent,
  integer,
  money,
  oneOf,
  uuid,
  type EventUnion,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/* Collections, topic arc.collections.events, streams `case-<caseId>`; one open case per customer. */

export interface CollectionCaseOpenedData {
  caseId: Uuid;
  customerId: Uuid;
  openedOn: IsoDate;
  /** The customer's overdue amount when the case opened. */
  overdueAmount: MoneyJson;
  oldestDaysPastDue: number;
}

export const CollectionCaseOpened = defineEvent<CollectionCaseOpenedData>()({
  type: 'CollectionCaseOpened',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: {
    caseId: uuid,
    customerId: uuid,
    openedOn: date,
    overdueAmount: money('positive', 'figure'),
    oldestDaysPastDue: integer(1),
  },
});

export const COLLECTION_CASE_CLOSURES = ['overdue-cleared', 'written-off'] as const;

export interface CollectionCaseClosedData {
  caseId: Uuid;
  customerId: Uuid;
  closedOn: IsoDate;
  reason: (typeof COLLECTION_CASE_CLOSURES)[number];
}

export const CollectionCaseClosed = defineEvent<CollectionCaseClosedData>()({
  type: 'CollectionCaseClosed',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: { caseId: uuid, customerId: uuid, closedOn: date, reason: oneOf(COLLECTION_CASE_CLOSURES) },
});

export const CollectionsEvents = byType([CollectionCaseOpened, CollectionCaseClosed]);
export type CollectionsEvent = EventUnion<typeof CollectionsEvents>;
export type CollectionsEventType = CollectionsEvent['type'];
