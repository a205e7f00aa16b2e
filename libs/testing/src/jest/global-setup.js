// Placeholder until the local-infrastructure start lands: requires endpoints in the environment.
module.exports = async () => {
  if (!process.env.ARC_KAFKA_BROKERS || !process.env.ARC_DATABASE_URL) {
    throw new Error('Set ARC_KAFKA_BROKERS and ARC_DATABASE_URL');
  }
};
