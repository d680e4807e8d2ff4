/** Genesys call types (the Genesys two-step transfer, docs/calls.md). `Consult` legs carry `parentCallId`. */
export const CALL_TYPES = ['Inbound', 'Outbound', 'Internal', 'Consult'] as const;
export type CallType = (typeof CALL_TYPES)[number];
