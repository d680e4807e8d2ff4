/**
 * The failure policy (docs/webhooks.md §3) through its own interface: which Error notification goes
 * where (and against which base URL), when the FallbackUrl is asked, and that an Error
 * notification never produces another. `retrieve`/`deliverError` here answer from a table, so every
 * request the policy makes is visible whole.
 */
import { describe, expect, it } from 'vitest';
import type { WebhookFailure } from '../../src/webhooks/error-codes.js';
import type { WebhookEvent } from '../../src/webhooks/events.js';
import { fetchWithFailurePolicy, reportFailure } from '../../src/webhooks/failure-policy.js';
import type { FailurePolicyDeps } from '../../src/webhooks/failure-policy.js';
import type { ReplyOrFailure } from '../../src/webhooks/reply.js';
import type { Notification } from '../../src/webhooks/script-source.js';

const COMMON = {
  CallId: 'c1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000', CallState: 'InCall', Direction: 'Incoming', Timestamp: '2026-01-01T00:00:00.000Z',
};
const PRIMARY = 'http://app.test/ivr';
const FAIL_PRIMARY: WebhookFailure = { code: 11200, detail: `HTTP 500 from ${PRIMARY}`, url: PRIMARY };

function world(answers: Record<string, ReplyOrFailure>, settings: Partial<Pick<FailurePolicyDeps, 'errorUrl' | 'fallbackUrl' | 'publicBaseUrl'>> = {}) {
  const retrieved: Notification[] = [];
  const delivered: Notification[] = [];
  const events: WebhookEvent[] = [];
  const deps: FailurePolicyDeps = {
    retrieve: async (n) => {
      retrieved.push(n);
      return answers[n.url] ?? { kind: 'failure', failure: { code: 11200, detail: `HTTP 404 from ${n.url}`, url: n.url } };
    },
    deliverError: async (n) => {
      delivered.push(n);
    },
    emit: (e) => events.push(e),
    ...settings,
  };
  return { deps, retrieved, delivered, events };
}

const fail = (f: WebhookFailure): ReplyOrFailure => ({ kind: 'failure', failure: f });
const gotoNotification = (extra: Partial<Notification> = {}): Notification => ({
  name: 'DtmfEntered', url: PRIMARY, params: { ...COMMON, DtmfDigits: '12' }, context: 'api-extension', ...extra,
});
const errorParams = (f: WebhookFailure) => ({ ...COMMON, ErrorCode: String(f.code), ErrorUrl: f.url, Detail: f.detail });

describe('the Error notification', () => {
  it('goes to the app ErrorUrl with the common parameters only, resolved against publicBaseUrl', async () => {
    const w = world({ [PRIMARY]: fail(FAIL_PRIMARY) }, { errorUrl: '/errors', publicBaseUrl: 'https://pub.test/base/' });
    const reply = await fetchWithFailurePolicy(gotoNotification({ baseUrl: 'http://doc.test/d.xml' }), w.deps);
    expect(reply).toEqual({ kind: 'failed', code: 11200, detail: FAIL_PRIMARY.detail, url: PRIMARY });
    expect(w.delivered).toEqual([{ name: 'Error', url: '/errors', baseUrl: 'https://pub.test/base/', params: errorParams(FAIL_PRIMARY), context: 'api-extension' }]);
    expect(w.events).toEqual([
      { type: 'failure', notification: 'DtmfEntered', url: PRIMARY, code: 11200, detail: FAIL_PRIMARY.detail },
      { type: 'error-notification', url: '/errors', code: 11200, failedUrl: PRIMARY },
    ]);
  });

  it("the verb's own ErrorUrl wins and resolves against the document's URL", async () => {
    const w = world({ [PRIMARY]: fail(FAIL_PRIMARY) }, { errorUrl: '/errors', publicBaseUrl: 'https://pub.test/' });
    await fetchWithFailurePolicy(gotoNotification({ errorUrl: 'call-errors', baseUrl: 'http://doc.test/d.xml', context: 'third-party' }), w.deps);
    expect(w.delivered).toEqual([{ name: 'Error', url: 'call-errors', baseUrl: 'http://doc.test/d.xml', params: errorParams(FAIL_PRIMARY), context: 'third-party' }]);
  });

  it("the verb's own ErrorUrl without a document URL has no base (not the app's)", async () => {
    const w = world({}, { errorUrl: '/errors', publicBaseUrl: 'https://pub.test/' });
    await reportFailure(gotoNotification({ errorUrl: 'http://own.test/e' }), FAIL_PRIMARY, w.deps);
    expect(w.delivered).toStrictEqual([{ name: 'Error', url: 'http://own.test/e', params: errorParams(FAIL_PRIMARY), context: 'api-extension' }]);
  });

  it("a blank own ErrorUrl is none: the app's is used", async () => {
    const w = world({}, { errorUrl: 'http://app.test/errors' });
    await reportFailure(gotoNotification({ errorUrl: '  ' }), FAIL_PRIMARY, w.deps);
    expect(w.delivered.map((n) => [n.url, n.baseUrl])).toEqual([['http://app.test/errors', undefined]]);
  });

  it.each([undefined, '', ' \t'])('an app ErrorUrl of %j sends nothing (the failure is still an event)', async (errorUrl) => {
    const w = world({}, errorUrl === undefined ? {} : { errorUrl });
    await reportFailure(gotoNotification(), FAIL_PRIMARY, w.deps);
    expect(w.delivered).toEqual([]);
    expect(w.events).toEqual([{ type: 'failure', notification: 'DtmfEntered', url: PRIMARY, code: 11200, detail: FAIL_PRIMARY.detail }]);
  });

  it('an Error notification that fails never produces another one', async () => {
    const w = world({}, { errorUrl: 'http://app.test/errors' });
    const failedError: Notification = { name: 'Error', url: 'http://app.test/errors', params: errorParams(FAIL_PRIMARY), context: 'api-extension', errorUrl: 'http://own.test/e' };
    const f: WebhookFailure = { code: 11205, detail: 'connection failed', url: 'http://app.test/errors' };
    await reportFailure(failedError, f, w.deps);
    expect(w.delivered).toEqual([]);
    expect(w.events).toEqual([{ type: 'failure', notification: 'Error', url: 'http://app.test/errors', code: 11205, detail: 'connection failed' }]);
  });

  it('parameters the notification lacks are left out, not sent empty', async () => {
    const w = world({}, { errorUrl: 'http://app.test/errors' });
    await reportFailure({ name: 'GoTo', url: PRIMARY, params: { CallId: 'c9', Extra: 'x' }, context: 'routing' }, FAIL_PRIMARY, w.deps);
    expect(w.delivered[0]!.params).toStrictEqual({ CallId: 'c9', ErrorCode: '11200', ErrorUrl: PRIMARY, Detail: FAIL_PRIMARY.detail });
  });
});

describe('the FallbackUrl', () => {
  const FALLBACK = 'http://backup.test/fallback';
  const DOC: ReplyOrFailure = { kind: 'empty', url: FALLBACK };

  it('is asked with the original parameters plus ErrorCode and ErrorUrl, against publicBaseUrl; its reply runs', async () => {
    const w = world({ [PRIMARY]: fail(FAIL_PRIMARY), '/fb': DOC }, { fallbackUrl: '/fb', publicBaseUrl: 'https://pub.test/' });
    const reply = await fetchWithFailurePolicy(gotoNotification({ baseUrl: 'http://doc.test/d.xml', errorUrl: 'e' }), w.deps);
    expect(reply).toBe(DOC);
    expect(w.retrieved).toEqual([
      gotoNotification({ baseUrl: 'http://doc.test/d.xml', errorUrl: 'e' }),
      {
        name: 'DtmfEntered', url: '/fb', baseUrl: 'https://pub.test/', errorUrl: 'e', context: 'api-extension',
        params: { ...COMMON, DtmfDigits: '12', ErrorCode: '11200', ErrorUrl: PRIMARY },
      },
    ]);
    expect(w.events.map((e) => e.type)).toEqual(['failure', 'error-notification', 'fallback']);
    expect(w.events[2]).toEqual({ type: 'fallback', notification: 'DtmfEntered', url: '/fb', failedUrl: PRIMARY, code: 11200 });
  });

  it("without publicBaseUrl the fallback has no base (never the failed document's URL)", async () => {
    const w = world({ [PRIMARY]: fail(FAIL_PRIMARY), [FALLBACK]: DOC }, { fallbackUrl: FALLBACK });
    await fetchWithFailurePolicy(gotoNotification({ baseUrl: 'http://doc.test/d.xml' }), w.deps);
    expect(w.retrieved[1]).not.toHaveProperty('baseUrl');
    expect(w.retrieved[1]!.url).toBe(FALLBACK);
  });

  it.each(['', '   '])('a FallbackUrl of %j is none', async (fallbackUrl) => {
    const w = world({ [PRIMARY]: fail(FAIL_PRIMARY) }, { fallbackUrl });
    expect(await fetchWithFailurePolicy(gotoNotification(), w.deps)).toEqual({ kind: 'failed', code: 11200, detail: FAIL_PRIMARY.detail, url: PRIMARY });
    expect(w.retrieved).toHaveLength(1);
    expect(w.events.map((e) => e.type)).toEqual(['failure']);
  });

  it('is never asked for CallConnected (the vendor rule for Call)', async () => {
    const w = world({ [PRIMARY]: fail(FAIL_PRIMARY), [FALLBACK]: DOC }, { fallbackUrl: FALLBACK, errorUrl: 'http://app.test/errors' });
    const reply = await fetchWithFailurePolicy(gotoNotification({ name: 'CallConnected' }), w.deps);
    expect(reply).toEqual({ kind: 'failed', code: 11200, detail: FAIL_PRIMARY.detail, url: PRIMARY });
    expect(w.retrieved.map((n) => n.url)).toEqual([PRIMARY]);
    expect(w.delivered.map((n) => n.url)).toEqual(['http://app.test/errors']);
  });

  it('when it fails too, a second Error notification reports it and the detail names both', async () => {
    const FAIL_FB: WebhookFailure = { code: 11205, detail: 'connection failed (ECONNREFUSED)', url: FALLBACK };
    const w = world({ [PRIMARY]: fail(FAIL_PRIMARY), [FALLBACK]: fail(FAIL_FB) }, { fallbackUrl: FALLBACK, errorUrl: 'http://app.test/errors' });
    const reply = await fetchWithFailurePolicy(gotoNotification(), w.deps);
    expect(reply).toEqual({
      kind: 'failed', code: 11200, url: PRIMARY,
      detail: `HTTP 500 from ${PRIMARY}; FallbackUrl ${FALLBACK} failed too: 11205 connection failed (ECONNREFUSED)`,
    });
    expect(w.delivered.map((n) => [n.url, n.params['ErrorCode'], n.params['ErrorUrl']])).toEqual([
      ['http://app.test/errors', '11200', PRIMARY],
      ['http://app.test/errors', '11205', FALLBACK],
    ]);
    expect(w.events.map((e) => e.type)).toEqual(['failure', 'error-notification', 'fallback', 'failure', 'error-notification']);
  });

  it('a reply that is not a failure is returned as is, without any Error notification', async () => {
    const ok: ReplyOrFailure = { kind: 'empty', url: PRIMARY };
    const w = world({ [PRIMARY]: ok }, { fallbackUrl: FALLBACK, errorUrl: 'http://app.test/errors' });
    expect(await fetchWithFailurePolicy(gotoNotification(), w.deps)).toBe(ok);
    expect(w.delivered).toEqual([]);
    expect(w.events).toEqual([]);
  });
});
