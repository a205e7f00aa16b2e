// Integration suites talk to real servers and start processes: Jest's 5 s default is too short, and
// `testTimeout` is not honoured per project, so it is set here for the integration project only.
jest.setTimeout(180_000);
