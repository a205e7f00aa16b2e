import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@arc/auth';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ProblemDetails } from '../errors/problem';
import type { ResolvedPlatformOptions } from '../platform-options';
import { PLATFORM_OPTIONS } from '../tokens';
import { HealthChecks } from './health-checks';

interface HttpResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/** Probes for the orchestrator, outside /v1 and the API document. */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthChecks) private readonly checks: HealthChecks,
    @Inject(PLATFORM_OPTIONS) private readonly options: ResolvedPlatformOptions,
  ) {}

  /** The process answers: nothing else is checked, so a database outage never gets the service restarted. */
  @Get('live')
  live(): { status: 'up'; service: string } {
    return { status: 'up', service: this.options.service };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: HttpResponse): Promise<object> {
    const report = await this.checks.run();
    // Which dependency failed is for the operator; why (host names, ports) stays in the logs.
    const checks = report.checks.map(({ name, status, durationMs }) => ({ name, status, durationMs }));
    if (report.ready) return { status: 'up', service: this.options.service, checks };
    const failed = checks.filter((check) => check.status === 'down').map((check) => check.name);
    const problem: ProblemDetails = {
      type: PROBLEM_TYPES.notReady,
      title: 'Service not ready',
      status: 503,
      detail: `Failing checks: ${failed.join(', ')}`,
      instance: '/health/ready',
      service: this.options.service,
      checks,
    };
    response.status(503);
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    return problem;
  }
}
