// The tests of the call layer only (test/calls, test/transfers): what the call-layer mutation run
// (`npm run test:mutation:calls`, stryker.calls.config.json) runs against each mutant.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/calls/**/*.test.ts', 'test/transfers/**/*.test.ts'] } });
