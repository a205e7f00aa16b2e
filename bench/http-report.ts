// The result block of `npm run bench -- http` (what docs/benchmarks.md quotes).
import { SERVICES, type ServiceName } from '@arc/launcher';
import { CONNECTIONS, fmt, SECONDS, uptime, type LoadResult } from './http-common';

export interface HttpReport {
  baseline: { rate: number; p50: number; p99: number; cpuMsPerRequest: number } | null;
  loads: LoadResult[];
  lag: string | null;
  startedTogetherMs: number;
  restarts: Map<ServiceName, number> | null;
  idleRate: Map<string, number> | null;
  rssBefore: Map<string, number>;
  rssAfter: Map<string, number>;
}

export function reportLines(report: HttpReport): string[] {
  const { baseline } = report;
  const lines: string[] = [];
  lines.push(
    `http benchmark (${new Date().toISOString()}, ${process.platform} ${process.arch}, Node ${process.version}, ${CONNECTIONS} keep-alive connections, ${SECONDS} s each)`,
  );
  if (baseline)
    lines.push(
      `  baseline: bare NestJS 11 POST, same ValidationPipe options   ${fmt(baseline.rate)} /s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, ${fmt(baseline.cpuMsPerRequest, 2)} ms CPU/request`,
    );
  for (const r of report.loads) {
    const total = [...r.cpuPerRequest.values()].reduce((a, b) => a + b, 0);
    const versus = baseline ? ` (${fmt(r.requestsPerSecond / baseline.rate, 2)}× baseline)` : '';
    lines.push(
      `  ${r.name.padEnd(15)} ${fmt(r.requestsPerSecond).padStart(6)} /s${versus}, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.ok} ok, ${r.failed} failed; CPU ${fmt(total, 2)} ms/command`,
    );
    lines.push(
      `      CPU ms/command: ${[...r.cpuPerRequest]
        .filter(([, ms]) => ms >= 0.005)
        .map(([name, ms]) => `${name} ${fmt(ms, 2)}`)
        .join(', ')}`,
    );
    lines.push(`      ${r.loadDuring}`);
  }
  if (report.lag) lines.push(`  append → projections ledger: ${report.lag}`);
  const restarts = report.restarts
    ? `; one at a time after a SIGKILL: ${[...report.restarts].map(([name, ms]) => `${name} ${fmt(ms / 1000, 1)} s`).join(', ')}`
    : '';
  lines.push(`  ready after process start: all six within ${fmt(report.startedTogetherMs / 1000, 1)} s started together${restarts}`);
  const idle = report.idleRate;
  if (idle) lines.push(`  idle CPU ms/s: ${SERVICES.map(({ name }) => `${name} ${fmt(idle.get(name) ?? 0, 1)}`).join(', ')}`);
  lines.push(
    `  RSS MB before → after load: ${SERVICES.map(({ name }) => `${name} ${fmt(report.rssBefore.get(name) ?? 0)} → ${fmt(report.rssAfter.get(name) ?? 0)}`).join(', ')}`,
  );
  lines.push(`  ${uptime()} at the end`);
  return lines;
}
