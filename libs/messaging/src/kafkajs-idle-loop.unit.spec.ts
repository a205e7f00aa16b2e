import { createRequire } from 'node:module';
import { fixKafkajsIdleLoop } from './kafkajs-idle-loop';

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

  /** kafkajs sets a request's sentAt right after putting it in flight. */
  const sent = (inflight: Map<number, { sentAt: number | null }>) => {
    for (const request of inflight.values()) request.sentAt ??= Date.now();
  };

  const connectionWith = (requests: [number, { sentAt: number | null; requestTimeout: number; timeoutRequest(): void }][]) => {
    const connection = {
      checks: 0,
      enforceRequestTimeout: true,
      requestTimeout: 30_000,
      requestTimeoutIntervalId: undefined as NodeJS.Timeout | undefined,
      inflight: new Map(requests),
      isConnected: () => {
        connection.checks += 1;
        return true;
      },
      destroy() {
        clearTimeout(this.requestTimeoutIntervalId);
      },
    };
    RequestQueue.prototype.scheduleRequestTimeoutCheck.call(connection);
    return connection;
  };

  it('never wakes a connection with nothing in flight (kafkajs looked ten times a second)', () => {
    jest.useFakeTimers();
    try {
      const connection = connectionWith([]);
      jest.advanceTimersByTime(60_000);
      expect(connection.checks).toBe(0);
      connection.destroy();
    } finally {
      jest.useRealTimers();
    }
  });

  it('times out a request at its deadline, at most a second late, having looked only then', () => {
    jest.useFakeTimers();
    try {
      let timedOut = 0;
      const connection = connectionWith([]);
      connection.inflight.set(1, { sentAt: null, requestTimeout: 30_000, timeoutRequest: () => (timedOut += 1) });
      sent(connection.inflight);
      jest.advanceTimersByTime(29_000);
      expect(timedOut).toBe(0);
      expect(connection.checks).toBe(0);
      jest.advanceTimersByTime(2_000);
      expect(timedOut).toBe(1);
      expect(connection.checks).toBeLessThanOrEqual(2);
      connection.destroy();
    } finally {
      jest.useRealTimers();
    }
  });

  it('looks again, sooner, for a request sent later with a shorter timeout than the one it waits for', () => {
    jest.useFakeTimers();
    try {
      const timedOut: string[] = [];
      const connection = connectionWith([]);
      // As kafkajs' timeout does, a timed-out request leaves the in-flight requests.
      connection.inflight.set(1, {
        sentAt: null,
        requestTimeout: 60_000,
        timeoutRequest: () => timedOut.push('long') && connection.inflight.delete(1),
      });
      sent(connection.inflight);
      jest.advanceTimersByTime(1_000);
      connection.inflight.set(2, {
        sentAt: null,
        requestTimeout: 5_000,
        timeoutRequest: () => timedOut.push('short') && connection.inflight.delete(2),
      });
      sent(connection.inflight);
      jest.advanceTimersByTime(6_500);
      expect(timedOut).toEqual(['short']);
      jest.advanceTimersByTime(60_000);
      expect(timedOut).toEqual(['short', 'long']);
      connection.destroy();
    } finally {
      jest.useRealTimers();
    }
  });
});
