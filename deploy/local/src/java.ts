import fs from 'node:fs';
import path from 'node:path';
import { PrerequisiteError } from './errors';
import { run } from './processes';

export const MIN_JAVA = 17;

/**
 * The major version in `java -version` output (which goes to stderr), e.g. 17 for
 * `openjdk version "17.0.15" 2025-04-15`, 8 for `java version "1.8.0_292"`, 21 for `openjdk version "21"`.
 */
export function parseJavaMajorVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(output);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** $JAVA_HOME/bin/java when JAVA_HOME points at a JDK/JRE, otherwise `java` from PATH. */
export function javaExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.JAVA_HOME;
  if (home) {
    const candidate = path.join(home, 'bin', 'java');
    if (fs.existsSync(candidate)) return candidate;
  }
  return 'java';
}

export interface ToolCheck {
  java: { ok: boolean; found: string };
  maven: { ok: boolean; found: string } | undefined;
}

async function probe(command: string, args: string[]): Promise<{ code: number | null; output: string } | undefined> {
  try {
    const result = await run(command, args);
    return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
  } catch {
    return undefined; // ENOENT: not installed
  }
}

export async function checkTools({ needMaven }: { needMaven: boolean }): Promise<ToolCheck> {
  const java = javaExecutable();
  const javaRun = await probe(java, ['-version']);
  const major = javaRun ? parseJavaMajorVersion(javaRun.output) : undefined;
  const check: ToolCheck = {
    java: {
      ok: major !== undefined && major >= MIN_JAVA,
      found: javaRun === undefined ? 'not installed' : major === undefined ? 'unrecognised `java -version`' : `Java ${major}`,
    },
    maven: undefined,
  };
  if (needMaven) {
    const mvn = await probe('mvn', ['-v', '-B']);
    check.maven = { ok: mvn?.code === 0, found: mvn === undefined ? 'not installed' : 'failing `mvn -v`' };
  }
  return check;
}

/** One message naming everything missing and how to install it, or undefined when all is there. */
export function describeMissingTools(check: ToolCheck): string | undefined {
  const missing: string[] = [];
  const packages: string[] = [];
  if (!check.java.ok) {
    missing.push(`Java ${MIN_JAVA}+ (found: ${check.java.found})`);
    packages.push('openjdk-17-jre-headless');
  }
  if (check.maven && !check.maven.ok) {
    missing.push(`Maven (found: ${check.maven.found}; needed once, to fetch Kafka from Maven Central)`);
    packages.push('maven');
  }
  if (missing.length === 0) return undefined;
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  return (
    `The local Kafka broker needs ${missing.join(' and ')}. ` +
    `Install it, e.g. \`${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}\`` +
    (check.java.ok ? '.' : ` (or set JAVA_HOME to a JDK/JRE ${MIN_JAVA}+).`) +
    ' Or point ARC_KAFKA_BROKERS at an existing Kafka.'
  );
}

export async function requireTools(options: { needMaven: boolean }): Promise<void> {
  const message = describeMissingTools(await checkTools(options));
  if (message) throw new PrerequisiteError(message);
}
