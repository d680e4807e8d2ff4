/**
 * `POST /sim/calls` (only with `--switch sim`): a caller rings ozml. The JSON body is `from`, `to`,
 * `displayName` and the caller's behaviour in the scenario file's party format (digits, hang-up
 * time, …), checked against the scenario schema's own definition.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyPluginAsync } from 'fastify';
import type { PartyFile } from '../../calls/sim/party-file.js';
import type { InboundOutcome, InboundRequest } from '../local-runtime.js';

type SimCallBody = PartyFile & { from: string; to: string; displayName?: string };

const SCENARIO_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/scenario.schema.json', import.meta.url));
const SCENARIO_ID = 'https://ozml.dev/schemas/scenario.schema.json';

/** The body schema: the party's behaviour plus who calls whom. */
const SIM_CALL_SCHEMA = {
  $id: 'https://ozml.dev/schemas/sim-call.json',
  type: 'object',
  $ref: `${SCENARIO_ID}#/$defs/behaviour`,
  required: ['from', 'to'],
  properties: {
    from: { $ref: `${SCENARIO_ID}#/$defs/number` },
    to: { $ref: `${SCENARIO_ID}#/$defs/number` },
    displayName: { type: 'string', maxLength: 128 },
  },
  unevaluatedProperties: false,
};

function compileBodyCheck() {
  const scenario = JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')) as object;
  return new Ajv2020({ allErrors: true, strict: true, strictTypes: false }).addSchema(scenario).compile<SimCallBody>(SIM_CALL_SCHEMA);
}

export interface SimCallsOptions {
  placeInbound: (request: InboundRequest) => InboundOutcome;
  /** The allow/deny address lists apply here as to the APIs. */
  addressAllowed: (ip: string) => boolean;
}

export const simCalls: FastifyPluginAsync<SimCallsOptions> = async (app, options) => {
  const check = compileBodyCheck();
  app.post('/sim/calls', async (request, reply) => {
    if (!options.addressAllowed(request.ip)) return reply.code(403).send({ error: 'calls from this address are forbidden' });
    if (!check(request.body)) {
      const problems = (check.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}${e.keyword === 'unevaluatedProperties' ? ` (${String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty)})` : ''}`);
      return reply.code(400).send({ error: 'invalid call', problems });
    }
    const { from, to, displayName, ...behaviour } = request.body;
    const outcome = options.placeInbound({ from, to, ...(displayName !== undefined ? { displayName } : {}), behaviour });
    if (outcome.kind === 'ringing') return reply.code(201).send({ callId: outcome.callId });
    // 429 for the per-app rate, 503 while draining or at the concurrent-call limit, 404 without an app.
    const status = outcome.reason === 'calls-per-second' ? 429 : outcome.reason === 'no-app' ? 404 : 503;
    return reply.code(status).send({ error: 'call refused', reason: outcome.reason, callId: outcome.callId, cause: outcome.cause });
  });
};
