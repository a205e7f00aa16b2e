import { createRequire } from 'node:module';

/*
 * kafkajs 2.2.4 spins every broker connection in a 1 ms timer loop while nothing is pending: its request
 * queue re-schedules its pending-request check with `throttledUntil - Date.now()`, which is negative when
 * not throttled (throttledUntil starts at -1), and Node runs a negative timeout after 1 ms; the check then
 * schedules itself again (tulios/kafkajs#1556 and #1704; the fix, #1667, was never released: the library
 * is unmaintained). An idle service with seven connections woke ~1,000 times a second for nothing, about
 * 40 ms of CPU per second on this machine.
 *
 * This replaces that one method with the released code plus the fix: with nothing pending and no
 * throttle, nothing is scheduled. Nothing is lost: push() sends at once or queues and schedules, and every
 * fulfilled request runs the check again. Applied once, on loading libs/messaging, only to the exact
 * version it was written against.
 *
 * Second, each connection also checks its in-flight requests for the request timeout (30 s) on a 100 ms
 * interval, whether or not anything is in flight: seven connections, seventy wake-ups a second, about the
 * half of an idle service's remaining cost. Here a connection looks only when the earliest request in flight
 * reaches its deadline (at least a second apart): an idle connection never wakes, a consumer's long-poll
 * fetch (answered within seconds) about once per 30 s, and a request still times out at most a second late.
 */
const PATCHED_VERSION = '2.2.4';
/** kafkajs' own CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
/** The least time between two looks of a connection for requests past their timeout (kafkajs: every 100 ms, always). */
export const REQUEST_TIMEOUT_CHECK_MS = 1000;

interface RequestQueueInternals {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId: NodeJS.Timeout | undefined;
  inflight: Map<unknown, { sentAt: number | null; requestTimeout: number; timeoutRequest(): void }>;
  isConnected(): boolean;
  destroy(): void;
  scheduleRequestTimeoutCheck(): void;
}

let applied = false;

export function fixKafkajsIdleLoop(): boolean {
  if (applied) return true;
  const load = createRequire(__filename);
  const version = (load('kafkajs/package.json') as { version: string }).version;
  if (version !== PATCHED_VERSION) return false;
  const RequestQueue = load('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
    if (this.throttleCheckTimeoutId) return;
    let scheduleAt = this.throttledUntil - Date.now();
    if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    else if (scheduleAt <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, scheduleAt);
  };
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: RequestQueueInternals): void {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    let armedFor = Infinity;
    const check = (): void => {
      this.requestTimeoutIntervalId = undefined;
      armedFor = Infinity;
      if (!this.isConnected()) return this.destroy();
      const now = Date.now();
      this.inflight.forEach((request) => {
        if (now - (request.sentAt ?? now) > request.requestTimeout) request.timeoutRequest();
      });
      let next = Infinity;
      this.inflight.forEach((request) => (next = Math.min(next, (request.sentAt ?? now) + request.requestTimeout)));
      arm(next);
    };
    /** Wakes up at `deadline` (the earliest request's), at most every REQUEST_TIMEOUT_CHECK_MS; nothing in flight: never. */
    const arm = (deadline: number): void => {
      // Nothing armed any more once destroy() cleared it (a lost connection).
      if (this.requestTimeoutIntervalId === undefined) armedFor = Infinity;
      if (deadline === Infinity || deadline >= armedFor) return;
      if (this.requestTimeoutIntervalId) clearTimeout(this.requestTimeoutIntervalId);
      armedFor = deadline;
      this.requestTimeoutIntervalId = setTimeout(check, Math.max(REQUEST_TIMEOUT_CHECK_MS, deadline - Date.now() + 1));
    };
    const inflight = new Map(this.inflight);
    const set = inflight.set.bind(inflight);
    inflight.set = (key, request) => {
      // Sent now: its sentAt is set right after this.
      arm(Date.now() + request.requestTimeout);
      return set(key, request);
    };
    this.inflight = inflight;
    inflight.forEach((request) => arm((request.sentAt ?? Date.now()) + request.requestTimeout));
  };
  // As kafkajs' own, and it forgets the cleared timer, so the next request in flight arms a new one.
  RequestQueue.prototype.destroy = function destroy(this: RequestQueueInternals): void {
    clearInterval(this.requestTimeoutIntervalId);
    this.requestTimeoutIntervalId = undefined;
    clearTimeout(this.throttleCheckTimeoutId ?? undefined);
    this.throttleCheckTimeoutId = null;
  };
  applied = true;
  return true;
}
