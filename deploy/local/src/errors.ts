/** Something the machine lacks (Java 17+, Maven, a `postgres` OS user...): exit code 2, one message. */
export class PrerequisiteError extends Error {
  override readonly name = 'PrerequisiteError';
  readonly exitCode = 2;
}

/** A server that would not start or stop; the message says where its log is. */
export class InfraError extends Error {
  override readonly name = 'InfraError';
  readonly exitCode = 1;
}
