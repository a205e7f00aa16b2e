import fs from 'node:fs';
import path from 'node:path';
import { kafkaServerProperties, kafkaVersionFromPom, randomClusterId } from './kafka';
import { renderProperties } from './properties';

describe('renderProperties', () => {
  it('writes key=value lines under a commented header', () => {
    expect(renderProperties({ 'node.id': 1, 'auto.create.topics.enable': false, 'log.dirs': '/tmp/a' }, 'line one\nline two')).toBe(
      '# line one\n# line two\nnode.id=1\nauto.create.topics.enable=false\nlog.dirs=/tmp/a\n',
    );
  });

  it('escapes what .properties would otherwise misread', () => {
    expect(renderProperties({ 'a key': 'C:\\data', b: ' lead', c: 'x\ny' })).toBe('a\\ key=C:\\\\data\nb=\\ lead\nc=x\\ny\n');
  });
});

describe('kafkaServerProperties', () => {
  const properties = kafkaServerProperties({ port: 19092, controllerPort: 19093, dataDir: '/repo/.arc/kafka/data' });

  it('is a single-node KRaft broker and controller on loopback', () => {
    expect(properties).toMatchObject({
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'log.dirs': '/repo/.arc/kafka/data',
    });
  });

  it('suits one broker and ARC: no auto-created topics, replication 1, no rebalance delay', () => {
    expect(properties).toMatchObject({
      'auto.create.topics.enable': false,
      'offsets.topic.replication.factor': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'group.initial.rebalance.delay.ms': 0,
    });
  });
});

describe('kafkaVersionFromPom', () => {
  it('reads the pinned version of deploy/local/kafka/pom.xml', () => {
    const pom = fs.readFileSync(path.join(__dirname, '..', 'kafka', 'pom.xml'), 'utf8');
    expect(kafkaVersionFromPom(pom)).toMatch(/^4\.\d+\.\d+$/);
  });

  it('fails on a pom without it', () => {
    expect(() => kafkaVersionFromPom('<project/>')).toThrow(/kafka\.version/);
  });
});

describe('randomClusterId', () => {
  it('is a 22-character URL-safe base64 id that cannot pass for an option', () => {
    for (let i = 0; i < 200; i++) expect(randomClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
