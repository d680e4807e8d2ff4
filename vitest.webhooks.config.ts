// The webhook client's own tests (test/webhooks): what the webhook mutation run
// (`npm run test:mutation`, stryker.config.json) runs against each mutant. The whole suite does
// not fit Stryker's initial run on a shared machine, and the mutants are src/webhooks only.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/webhooks/**/*.test.ts'] } });
