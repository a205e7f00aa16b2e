import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { correlationIdOf, currentCorrelationId } from '../logging/correlation';
import { JsonLogger } from '../logging/json-logger';
import type { ResolvedPlatformOptions } from '../platform-options';
import { PLATFORM_OPTIONS } from '../tokens';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './problem-mapping';

interface HttpRequest {
  originalUrl?: string;
  url?: string;
  method?: string;
}

interface HttpResponse {
  headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/** Answers every HTTP error as application/problem+json (RFC 9457). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    @Inject(PLATFORM_OPTIONS) private readonly options: ResolvedPlatformOptions,
    @Inject(JsonLogger) private readonly logger: JsonLogger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Kafka handlers of a hybrid app: the error must reach @arc/messaging (retry, dead letter), not be answered.
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const correlationId = correlationIdOf(request) ?? currentCorrelationId();
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '';
    const { problem, unexpected } = toProblem(exception, { instance: path, correlationId, mappings: this.options.problemMappings });

    if (unexpected) {
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        { msg: `${request.method} ${path} failed: ${error.message}`, correlationId, status: problem.status, error: error.name },
        error.stack,
        'ProblemFilter',
      );
    } else if (this.logger.isEnabled('debug')) {
      this.logger.debug(
        { msg: `${request.method} ${path} refused: ${problem.detail ?? problem.title}`, correlationId, status: problem.status },
        'ProblemFilter',
      );
    }

    // A handler that had started streaming cannot be answered any more; the log above is all there is.
    if (response.headersSent) return;
    response.statusCode = problem.status;
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    response.end(JSON.stringify(problem));
  }
}
