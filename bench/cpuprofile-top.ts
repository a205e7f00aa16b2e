// `node bench/dist/cpuprofile-top.js <file.cpuprofile> [count]`: the frames with the most self time in a V8
// CPU profile (what docs/performance.md quotes), and the share of each package.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Profile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export function topFrames(profile: Profile, count: number): string[] {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const frame = frames.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!frame || frame.functionName === '(idle)') return;
    busy += micros;
    const where = frame.url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/node_modules\//, '')
      .replace(/^.*\/(libs|services|bench)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + micros);
    const pkg =
      /^(@[^/]+\/[^/]+|[^/.][^/]*)\//.exec(where)?.[1] ??
      (where.startsWith('node:') ? 'node' : frame.functionName.startsWith('(') ? frame.functionName : 'native');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  });
  const share = (micros: number) => `${((100 * micros) / Math.max(1, busy)).toFixed(1).padStart(5)} %`;
  const lines = [`busy ${(busy / 1000).toFixed(0)} ms sampled`];
  lines.push(
    `by package: ${[...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([pkg, micros]) => `${pkg} ${share(micros).trim()}`)
      .join(', ')}`,
  );
  for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, count)) lines.push(`${share(micros)}  ${key}`);
  return lines;
}

if (require.main === module) {
  const [file, count = '12'] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpuprofile-top <file.cpuprofile> [count]');
  console.log(topFrames(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(count)).join('\n'));
}
