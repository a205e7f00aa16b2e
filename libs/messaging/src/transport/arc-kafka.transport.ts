import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import { createKafka, type KafkaConnection } from '../kafka';
import { ExactlyOnceConsumer, type DeliveredMessage, type ExactlyOnceConsumerOptions } from './exactly-once-consumer';

/** `@Ctx()` of a handler on ARC's transport: where the message came from and the batch's transaction. */
export class ArcKafkaContext extends BaseRpcContext<[DeliveredMessage]> {
  private get delivered(): DeliveredMessage {
    return this.getArgByIndex(0) as DeliveredMessage;
  }
  /** Write effects through this client: they commit together with the consumer's position. */
  get tx() {
    return this.delivered.tx;
  }
  /** Defers writes to the end of the batch (one multi-row statement instead of one per event). */
  get batch() {
    return this.delivered.batch;
  }
  get topic() {
    return this.delivered.topic;
  }
  get partition() {
    return this.delivered.partition;
  }
  get offset() {
    return this.delivered.offset;
  }
  /** True while a rebuild replays what the group had consumed: keep the read model, skip commands and announcements. */
  get replaying() {
    return this.delivered.replaying;
  }
}

/**
 * Nest's default RPC exception filter replaces any error that is not an RpcException with "Internal
 * server error". Register this one (`app.useGlobalFilters(new ArcKafkaExceptionFilter())`) so the
 * transport sees the handler's own error and parks it with the message on `<topic>.dlq`.
 */
@Catch()
export class ArcKafkaExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

export type ArcKafkaTransportOptions = Omit<ExactlyOnceConsumerOptions, 'kafka' | 'dispatch'> & { kafka: KafkaConnection };

/**
 * ARC's Kafka transport for `@nestjs/microservices`: handlers stay declared with
 * `@EventPattern('<EventType>')` and receive the validated envelope (`@Payload()`) and an
 * ArcKafkaContext (`@Ctx()`). Unlike the stock Kafka transport it consumes whole batches exactly once
 * into PostgreSQL and parks a message that keeps failing on `<topic>.dlq` (see ExactlyOnceConsumer).
 * Events with no handler are passed over: a service subscribes to whole topics but reacts to some types.
 * Register ArcKafkaExceptionFilter too, or dead letters carry Nest's generic error text.
 */
export class ArcKafkaTransport extends Server implements CustomTransportStrategy {
  private consumer: ExactlyOnceConsumer | undefined;
  private readonly handlers = new Map<string, MessageHandler | null>();

  constructor(private readonly options: ArcKafkaTransportOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.consumer = new ExactlyOnceConsumer({
      ...this.options,
      kafka: createKafka(this.options.kafka),
      dispatch: (delivered) => this.dispatch(delivered),
    });
    this.consumer.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  on(): never {
    throw new Error('ArcKafkaTransport emits no status events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** The running consumer (after listen). */
  get exactlyOnceConsumer(): ExactlyOnceConsumer {
    if (!this.consumer) throw new Error('ArcKafkaTransport is not listening yet');
    return this.consumer;
  }

  private async dispatch(delivered: DeliveredMessage): Promise<void> {
    const { eventType } = delivered.envelope;
    // Nest's lookup tries JSON.parse on the pattern (a thrown SyntaxError per message); handlers are fixed once listening.
    let handler = this.handlers.get(eventType);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(eventType);
      this.handlers.set(eventType, handler);
    }
    if (!handler) return;
    const result: unknown = await handler(delivered.envelope, new ArcKafkaContext([delivered]));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
