/**
 * Takes turns per key (a stream id) inside one process: commands on one stream run one after the other
 * instead of racing to the same expected version and retrying. It only spares work: the event store's
 * version check still decides every race (other processes, a turn given up after `maxWaitMs`).
 */
export class StreamTurns {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly maxWaitMs = 5_000) {}

  /** Waits for the turns taken before on `key` (at most `maxWaitMs`); call the returned function to end the turn. */
  async take(key: string): Promise<() => void> {
    const previous = this.tails.get(key);
    let end!: () => void;
    const mine = new Promise<void>((resolve) => (end = resolve));
    const tail = previous ? previous.then(() => mine) : mine;
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    if (previous) {
      let timer: NodeJS.Timeout | undefined;
      // A turn held too long (a stuck request) is passed over rather than waited for without end.
      await Promise.race([previous, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.maxWaitMs)))]);
      clearTimeout(timer);
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      end();
    };
  }

  /** Keys with a turn taken or waited for (for tests and metrics). */
  get busy(): number {
    return this.tails.size;
  }
}
