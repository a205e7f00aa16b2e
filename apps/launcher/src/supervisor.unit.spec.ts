import { DEFAULT_BACKOFF, restartDelayMs } from './supervisor';
import { parseArgs } from './main';

describe('restart backoff', () => {
  it('doubles the delay for each crash in a row, from 0.5 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => restartDelayMs(n, DEFAULT_BACKOFF))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});

describe('npm start options', () => {
  it('launches all six with the demo by default', () => {
    expect(parseArgs([])).toEqual({ demo: true, services: undefined, databasePrefix: 'arc', kafkaNamespace: undefined, freePorts: false });
  });

  it('launches a subset of services without the demo, beside the demo platform', () => {
    expect(
      parseArgs(['--no-demo', '--services', 'credit,payments', '--database-prefix', 'arc_x', '--kafka-namespace', 'x', '--free-ports']),
    ).toEqual({
      demo: false,
      services: ['credit', 'payments'],
      databasePrefix: 'arc_x',
      kafkaNamespace: 'x',
      freePorts: true,
    });
  });

  it('refuses an unknown service, a subset with the demo, and an unknown option', () => {
    expect(() => parseArgs(['--no-demo', '--services', 'ledger'])).toThrow(/unknown services ledger/);
    expect(() => parseArgs(['--services', 'credit'])).toThrow(/demo needs all six/);
    expect(() => parseArgs(['--verbose'])).toThrow(/unknown option/);
  });
});
