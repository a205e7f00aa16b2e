import type { ServiceConfig } from '../../service/service-config';
import { useServiceUnderTest, type ServiceSuiteOptions } from '../service-suite';
import { expectEveryRouteRefusesGeneratedInput, generatedInputTimeout } from './fuzz-routes';

/**
 * A service's whole generated-input suite (its `src/generated-input.int.spec.ts` calls only this).
 * ARC_FUZZ_RUNS sets the number of requests (`npm run fuzz`: 10,000). The consumers run as in
 * production, on topics of the suite's own that nobody publishes to, so only the generated requests
 * could append.
 */
export function describeGeneratedInput<C extends ServiceConfig>(options: ServiceSuiteOptions<C>): void {
  describe(`the ${options.definition.name} service under generated invalid and hostile input`, () => {
    const suite = useServiceUnderTest({ database: `${options.definition.name}_generated_input`, ...options });

    it(
      'refuses every generated request to every documented route with a 4xx problem, never a 5xx, appending nothing',
      async () => {
        const figures = await expectEveryRouteRefusesGeneratedInput(suite.service, {
          pool: suite.db.pool,
          errorLog: suite.errorLog,
          log: (text) => console.info(text),
        });
        expect(figures).toMatchObject({ serverErrors: 0, eventsAppended: 0 });
      },
      generatedInputTimeout(),
    );
  });
}
