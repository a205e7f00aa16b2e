/** A stream's folded state at a version that has committed. */
export interface KnownState<S> {
  version: number;
  state: S;
}

/** What handleCommand asks of a cache of folded stream states (see StreamStates; Commands binds it to a decider and a transaction). */
export interface StreamStateCache<S> {
  get(streamId: string): KnownState<S> | undefined;
  /** The state the stream has at `version` once the caller's writes commit. */
  remember(streamId: string, known: KnownState<S>): void;
  forget(streamId: string): void;
}

/**
 * The folded states of the streams this process last decided on, so a command reads only the events
 * appended since (and whether it was handled before), not the whole stream again: a customer's account
 * stream grows with every check and payment, and reading and folding all of it was most of a command's
 * work on a long-lived stream. A cached state is only ever a starting point: the append's expected
 * version still decides every race (a stale entry costs a refused append and a full read). States must
 * be immutable (deciders' `evolve` returns new objects), as they are shared between commands.
 * Least recently used entries go first beyond `capacity`.
 */
export class StreamStates {
  private readonly entries = new Map<string, { decider: object; known: KnownState<unknown> }>();

  constructor(private readonly capacity = 5_000) {}

  get<S>(streamId: string, decider: object): KnownState<S> | undefined {
    const entry = this.entries.get(streamId);
    if (!entry || entry.decider !== decider) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry.known as KnownState<S>;
  }

  set<S>(streamId: string, decider: object, known: KnownState<S>): void {
    const entry = this.entries.get(streamId);
    // Two commits on one stream may report back in either order: keep the later version.
    if (entry && entry.decider === decider && entry.known.version > known.version) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { decider, known });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}
