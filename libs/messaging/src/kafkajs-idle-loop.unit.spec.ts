import { createRequire } from 'node:module';
import { fixKafkajsIdleLoop } from './kafkajs-idle-loop';

interface QueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

const RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue') as {
  prototype: { scheduleCheckPendingRequests(this: QueueState): void };
};

const queue = (pending: unknown[], throttledUntil = -1): QueueState => ({
  throttledUntil,
  throttleCheckTimeoutId: null,
  pending,
  checkPendingRequests: () => undefined,
});

describe('the kafkajs idle-loop fix', () => {
  beforeAll(() => {
    // Fails when kafkajs is upgraded: check whether the new version still spins (tulios/kafkajs#1556) before re-pinning.
    expect(fixKafkajsIdleLoop()).toBe(true);
  });

  it('schedules nothing for an idle connection (no pending request, no throttle), so it does not wake every millisecond', () => {
    const idle = queue([]);
    RequestQueue.prototype.scheduleCheckPendingRequests.call(idle);
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks again for a queued request, and after a throttle ends', () => {
    const waiting = queue([{}]);
    RequestQueue.prototype.scheduleCheckPendingRequests.call(waiting);
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(waiting.throttleCheckTimeoutId ?? undefined);

    const throttled = queue([], Date.now() + 60_000);
    RequestQueue.prototype.scheduleCheckPendingRequests.call(throttled);
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(throttled.throttleCheckTimeoutId ?? undefined);
  });
});
