/** The resolved EventSourcingModule options. */
export const EVENT_SOURCING_OPTIONS = Symbol.for('arc.platform.eventSourcing.options');

export interface ResolvedEventSourcingOptions {
  topic: string;
  /** Event type → topic (null: not published); other types go to `topic`. */
  routes: Readonly<Record<string, string | null>>;
  partitions: number;
  relayName: string;
  brokers: string[];
  clientId: string;
  relay: boolean;
}
