/**
 * Caller-ID policies of a transfer (Bandwidth's `transferCallerId`, docs/transfers.md): `private`
 * hides the number, `caller` keeps the caller's; any other value must be a number the platform owns.
 */
export const CALLER_ID_POLICIES = ['private', 'caller'] as const;
export type CallerIdPolicy = (typeof CALLER_ID_POLICIES)[number];
