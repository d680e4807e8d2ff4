/**
 * The status codes of Ozeki's HTTP API and their message templates, as the vendor documents them
 * (spelling included: "occured"). `{0}` and `{1}` are filled from the request (docs/serve.md).
 */
export const OZEKI_CODES = {
  OK: { code: 200, template: 'Command successfully executed' },
  ParseError: { code: 300, template: "Error occured during parsing message: '{0}'" },
  NotImplementedCommand: { code: 301, template: "Not implemented command: '{0}'" },
  InvalidParameter: { code: 302, template: "Missing or invalid parameter '{0}' for command '{1}'" },
  InappropriateCommand: { code: 303, template: "Command '{0}' cannot be used here" },
  AuthenticationRequired: { code: 304, template: 'Authentication required' },
  AuthenticationFailed: { code: 305, template: 'Authentication failed, bad username or password' },
  ForbiddenUser: { code: 306, template: 'User is not allowed to use API in ACL' },
  ForbiddenAddress: { code: 307, template: 'Use API from this address is forbidden' },
  ApiExtensionUnavailable: { code: 401, template: "API extension '{0}' unavailable, please check configuration or permissions" },
  CallConnectFailed: { code: 402, template: "Call connect to '{0}' failed with result state '{1}'" },
  SmsDestinationNotFound: { code: 501, template: 'Destination of the SMS is not found' },
  CallNotFound: { code: 601, template: "Call not found with ID '{0}'" },
} as const;

export type OzekiCodeName = keyof typeof OZEKI_CODES;

/** A result: the code's name and the values of its template. */
export interface OzekiStatus {
  name: OzekiCodeName;
  args?: readonly string[];
}

export function statusCode(status: OzekiStatus): number {
  return OZEKI_CODES[status.name].code;
}

/** The template with `{0}`, `{1}` replaced. */
export function statusMessage(status: OzekiStatus): string {
  return OZEKI_CODES[status.name].template.replace(/\{(\d)\}/g, (_m, i: string) => status.args?.[Number(i)] ?? '');
}

export const OK: OzekiStatus = Object.freeze({ name: 'OK' });
