/** Platform limits (docs/platform.md "Limits"): what a script's `Call`s may do. */
export interface PlatformLimits {
  /** `Call`s one session may place. */
  outboundCallsPerSession: number;
  /** Calls of one app up at the same time (inbound and outbound). */
  concurrentCallsPerApp: number;
  /** New outbound calls one app may place per second (a sliding one-second window). */
  callsPerSecondPerApp: number;
}

export type PlatformLimitName = keyof PlatformLimits;

export const DEFAULT_PLATFORM_LIMITS: PlatformLimits = {
  outboundCallsPerSession: 10,
  concurrentCallsPerApp: 100,
  callsPerSecondPerApp: 10,
};

