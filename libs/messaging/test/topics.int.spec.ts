import { testKafka, uniqueTopicName } from '@arc/testing';
import { deadLetterTopic } from '@arc/contracts';
import { ensureTopics } from '../src';

describe('topic creation', () => {
  const kafka = testKafka('topics-test');

  it('lets six services create the same new topics at once, each with its dead-letter topic and unlimited retention', async () => {
    const topics = [uniqueTopicName('race_a'), uniqueTopicName('race_b'), uniqueTopicName('race_c')];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        ensureTopics(
          kafka,
          topics.map((topic) => ({ topic, partitions: 3 })),
        ),
      ),
    );

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics, ...topics.map(deadLetterTopic)] });
      expect(metadata.map(({ name, partitions }) => [name, partitions.length]).sort()).toEqual(
        [...topics.map((t) => [t, 3]), ...topics.map((t) => [deadLetterTopic(t), 1])].sort(),
      );
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({ type: 2, name, configNames: ['retention.ms'] })),
      });
      expect(configs.resources.map((r) => r.configEntries[0]?.configValue)).toEqual(['-1', '-1', '-1']);
    } finally {
      await admin.disconnect();
    }
  });
});
