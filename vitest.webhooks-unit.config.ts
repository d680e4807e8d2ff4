// The webhook client's unit-level tests only (no timeouts on real sockets, no dry runs), for the
// quick webhook mutation run (`npx stryker run stryker.quick.config.json`: signing, address policy,
// failure policy, URL cache and route patterns). Fewer tests can only kill fewer mutants, so its
// score is a lower bound of what the full run (`npm run test:mutation`) gives for those files.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/webhooks/signing.test.ts', 'test/webhooks/address-policy.test.ts', 'test/webhooks/name-lookup.test.ts',
      'test/webhooks/failure-policy.test.ts', 'test/webhooks/target-cache.test.ts', 'test/webhooks/url-pattern.test.ts',
      'test/webhooks/url-overrides.test.ts', 'test/webhooks/reply.test.ts', 'test/webhooks/request-body.test.ts',
    ],
  },
});
