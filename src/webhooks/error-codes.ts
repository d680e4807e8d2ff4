/**
 * Stable error codes of the webhook client. They travel in Error notifications (`ErrorCode`), in
 * `failed` replies and in events; docs/webhooks.md publishes the same table. Never renumber.
 */
export const WebhookErrorCode = {
  /** The URL is empty, not http(s), unparseable, or relative without a base. */
  InvalidUrl: 11100,
  /** The server answered with a status that is neither 2xx nor a followed redirect. */
  HttpStatus: 11200,
  /** No connection, connection refused or reset, DNS failure, connection lost before or during the response. */
  Connection: 11205,
  /** Connect, read or total timeout. */
  Timeout: 11210,
  /** The response body is larger than the limit (64 KiB by default). */
  TooLarge: 11215,
  /** The reply's Content-Type is missing or not application/xml, text/xml or text/plain. */
  ContentType: 11220,
  /** The destination address is private, loopback, link-local or metadata and not allowed by the config. */
  AddressRefused: 11225,
  /** More than 5 redirects, a redirect loop, or a redirect without a usable Location. */
  Redirects: 11230,
  /** TLS handshake or certificate failure. */
  Tls: 11237,
  /** Replay mode: no recorded exchange answers this request. */
  ReplayMissing: 11290,
  /** The reply is not a readable OzML document (not well-formed, DOCTYPE, wrong root, too large, not UTF-8). */
  DocumentParse: 12100,
  /** The reply is well-formed XML but not valid OzML (unknown verbs, bad attributes, lint errors). */
  DocumentInvalid: 12200,
} as const;

export type WebhookErrorCode = (typeof WebhookErrorCode)[keyof typeof WebhookErrorCode];

/** One-line descriptions, in code order; docs/webhooks.md and the tests use this table. */
export const WEBHOOK_ERROR_DESCRIPTIONS: Readonly<Record<WebhookErrorCode, string>> = {
  11100: 'Invalid URL (empty, not http/https, or relative without a base URL)',
  11200: 'HTTP retrieval failure: the server answered with a non-2xx status',
  11205: 'Connection failure: refused, reset, DNS failure, or connection lost mid-response',
  11210: 'Timeout: connect, read or total time limit exceeded',
  11215: 'Response body too large',
  11220: 'Invalid or missing Content-Type',
  11225: 'Destination address refused by the address policy',
  11230: 'Too many redirects, redirect loop, or invalid redirect',
  11237: 'TLS or certificate failure',
  11290: 'Replay: no recorded exchange for this request',
  12100: 'Document parse failure',
  12200: 'Document invalid (compile or lint errors)',
};

/** A failure as the policy sees it: a code, a human-readable detail and the URL that failed. */
export interface WebhookFailure {
  code: WebhookErrorCode;
  detail: string;
  url: string;
}
