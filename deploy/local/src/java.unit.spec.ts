import { describeMissingTools, parseJavaMajorVersion } from './java';

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"\nJava(TM) SE Runtime Environment (build 1.8.0_292-b10)', 8],
    ['openjdk version "11.0.2-ea" 2019-01-15', 11],
    ['Picked up JAVA_TOOL_OPTIONS: -Dfile.encoding=UTF8\nopenjdk version "25-ea" 2025-09-16', 25],
  ])('reads %j as Java %i', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });

  it('returns undefined for anything else', () => {
    expect(parseJavaMajorVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('describeMissingTools', () => {
  it('says nothing when everything is there', () => {
    expect(describeMissingTools({ java: { ok: true, found: 'Java 17' }, maven: { ok: true, found: '' } })).toBeUndefined();
  });

  it('names everything missing in one message, with the packages to install', () => {
    const message = describeMissingTools({ java: { ok: false, found: 'Java 11' }, maven: { ok: false, found: 'not installed' } });
    expect(message).toContain('Java 17+ (found: Java 11)');
    expect(message).toContain('Maven');
    expect(message).toContain('apt-get install -y openjdk-17-jre-headless maven');
  });

  it('does not ask for Maven when the jars are already there', () => {
    const message = describeMissingTools({ java: { ok: false, found: 'not installed' }, maven: undefined });
    expect(message).toContain('apt-get install -y openjdk-17-jre-headless`');
    expect(message).not.toContain('Maven');
  });
});
