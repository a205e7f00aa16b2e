import { createRequire } from 'node:module';
import { fixKafkajsIdleLoop, REQUEST_TIMEOUT_CHECK_MS } from './kafkajs-idle-loop';

interface QueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

const RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue') as {
  prototype: { scheduleCheckPendingRequests(this: QueueState): void; scheduleRequestTimeoutCheck(this: unknown): void };
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

  it('looks for timed-out requests once a second, not ten times, and still times them out', () => {
    jest.useFakeTimers();
    try {
      let timedOut = 0;
      let checks = 0;
      const connection = {
        enforceRequestTimeout: true,
        requestTimeout: 30_000,
        requestTimeoutIntervalId: undefined as NodeJS.Timeout | undefined,
        inflight: new Map([[1, { sentAt: Date.now(), requestTimeout: 30_000, timeoutRequest: () => (timedOut += 1) }]]),
        isConnected: () => {
          checks += 1;
          return true;
        },
        destroy() {
          clearInterval(this.requestTimeoutIntervalId);
        },
      };
      RequestQueue.prototype.scheduleRequestTimeoutCheck.call(connection);
      jest.advanceTimersByTime(10_000);
      // One wake-up a second (kafkajs' own 100 ms interval would have run 100 times).
      expect(checks).toBe(10_000 / REQUEST_TIMEOUT_CHECK_MS);
      expect(checks).toBeLessThanOrEqual(10);
      jest.advanceTimersByTime(19_000);
      expect(timedOut).toBe(0);
      jest.advanceTimersByTime(2_000);
      expect(timedOut).toBeGreaterThan(0);
      connection.destroy();
    } finally {
      jest.useRealTimers();
    }
  });
});
