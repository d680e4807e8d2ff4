/**
 * A 2xx answer into a reply (docs/webhooks.md §2): empty replies, the Content-Type check, charset
 * decoding, 12100 vs 12200 and their details, warnings carried along, and notification parameters
 * known as variables whatever the mix of notification kinds.
 */
import { describe, expect, it } from 'vitest';
import { compileReply, replyFromResponse } from '../../src/webhooks/reply.js';
import type { Notification } from '../../src/webhooks/script-source.js';
import type { HttpResponse } from '../../src/webhooks/transport.js';

const URL_ = 'http://app.test/ivr';
const n: Notification = { name: 'GoTo', url: URL_, params: { CallId: 'c1' }, context: 'api-extension' };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const answer = (body: string | Uint8Array, contentType?: string, status = 200): HttpResponse => ({
  status, headers: contentType === undefined ? {} : { 'content-type': contentType }, body: typeof body === 'string' ? bytes(body) : body,
});
const DOC = '<Response><Speak>Hi</Speak></Response>';
const reply = (r: HttpResponse, notification: Notification = n) => replyFromResponse(r, URL_, notification, 65536);

describe('replyFromResponse', () => {
  it.each([
    ['204', answer(DOC, 'application/xml', 204)],
    ['205', answer(DOC, 'application/xml', 205)],
    ['an empty body without a Content-Type', answer('')],
    ['spaces, tabs, CR and LF only', answer(' \t\r\n ', 'text/html')],
    ['<Response/>', answer('<Response/>', 'text/xml')],
    ['<Response> </Response>', answer('<Response>\n</Response>', 'text/plain')],
  ])('%s is an empty reply', (_label, response) => {
    expect(reply(response)).toEqual({ kind: 'empty', url: URL_ });
  });

  it.each(['\u000b', '\u000c', '\u0000', 'x'])('a body of %j is not blank', (body) => {
    expect(reply(answer(body, 'application/json'))).toMatchObject({ kind: 'failure', failure: { code: 11220 } });
  });

  it.each([
    [undefined, "no Content-Type; expected application/xml, text/xml, text/plain"],
    ['text/html', "Content-Type 'text/html'; expected application/xml, text/xml, text/plain"],
    ['application/xml+evil', "Content-Type 'application/xml+evil'; expected application/xml, text/xml, text/plain"],
    ['not a type', "Content-Type 'not a type'; expected application/xml, text/xml, text/plain"],
  ])('Content-Type %j is 11220', (contentType, detail) => {
    expect(reply(answer(DOC, contentType))).toEqual({ kind: 'failure', failure: { code: 11220, detail, url: URL_ } });
  });

  it.each(['application/xml', 'TEXT/XML; charset=UTF-8', 'text/plain;charset=us-ascii', 'application/xml; charset=utf8'])('accepts %s', (contentType) => {
    expect(reply(answer(DOC, contentType))).toMatchObject({ kind: 'document', url: URL_ });
  });

  it('decodes a declared charset; an unknown one is 11220', () => {
    const latin1 = new Uint8Array([...bytes('<Response><Speak>J'), 0xf6, ...bytes('rg</Speak></Response>')]);
    const decoded = reply(answer(latin1, 'text/xml; charset=ISO-8859-1'));
    expect(decoded).toMatchObject({ kind: 'document' });
    expect(decoded.kind === 'document' && decoded.program.instructions[0]!.attributes['Text']).toEqual({ kind: 'literal', value: 'Jörg', origin: 'written', range: expect.any(Object) });
    expect(reply(answer(DOC, 'text/xml; charset=x-klingon'))).toEqual({
      kind: 'failure', failure: { code: 11220, detail: "unsupported charset 'x-klingon' in Content-Type 'text/xml; charset=x-klingon'", url: URL_ },
    });
  });

  it('the same Content-Type twice gives the same answer (the parsed type is remembered)', () => {
    for (let i = 0; i < 40; i++) expect(reply(answer(DOC, `text/xml; q=${i}`))).toMatchObject({ kind: 'document' });
    expect(reply(answer(DOC, 'text/xml; q=0'))).toMatchObject({ kind: 'document' });
    expect(reply(answer(DOC, 'text/html'))).toMatchObject({ kind: 'failure' });
    expect(reply(answer(DOC, 'text/html'))).toMatchObject({ kind: 'failure' });
  });
});

describe('compileReply', () => {
  it('not well-formed XML is 12100 with line:column rule: message', () => {
    expect(compileReply('<Response><Speak>Hi</Response>', URL_, n, 65536)).toEqual({
      kind: 'failure', failure: { code: 12100, url: URL_, detail: expect.stringMatching(/^1:\d+ xml-syntax: /) },
    });
  });

  it.each([
    ['<Foo/>', 12100, /^1:1 unknown-root: /],
    ['<!DOCTYPE x><Response/>', 12100, /^1:1 doctype-forbidden: /],
  ])('%s is %s', (text, code, detail) => {
    expect(compileReply(text, URL_, n, 65536)).toEqual({ kind: 'failure', failure: { code, url: URL_, detail: expect.stringMatching(detail) } });
  });

  it('a document over the size limit is 12100 (document-too-large)', () => {
    expect(compileReply(DOC, URL_, n, 10)).toEqual({ kind: 'failure', failure: { code: 12100, url: URL_, detail: expect.stringMatching(/^1:1 document-too-large: /) } });
  });

  const SPEK = (column: number) => `1:${column} unknown-verb: Unknown verb <Spek>; did you mean <Speak>?`;

  it('invalid OzML is 12200; the detail names the first three problems and counts the rest', () => {
    expect(compileReply('<Response><Spek/><Spek/><Spek/><Spek/><Spek/></Response>', URL_, n, 65536)).toEqual({
      kind: 'failure', failure: { code: 12200, url: URL_, detail: `${SPEK(11)}; ${SPEK(18)}; ${SPEK(25)}; and 2 more` },
    });
  });

  it('exactly three problems have no count', () => {
    expect(compileReply('<Response><Spek/><Spek/><Spek/></Response>', URL_, n, 65536)).toEqual({
      kind: 'failure', failure: { code: 12200, url: URL_, detail: `${SPEK(11)}; ${SPEK(18)}; ${SPEK(25)}` },
    });
  });

  it('warnings travel with the document; a clean document has no diagnostics field', () => {
    const warned = compileReply('<Response><Speak>$nope</Speak></Response>', URL_, n, 65536);
    expect(warned).toMatchObject({ kind: 'document', diagnostics: [{ rule: 'undefined-variable', severity: 'warning' }] });
    const clean = compileReply(DOC, URL_, n, 65536);
    expect(clean).toMatchObject({ kind: 'document', url: URL_ });
    expect(clean).not.toHaveProperty('diagnostics');
  });

  it('info diagnostics also travel (only errors are dropped)', () => {
    const withInfo = compileReply('<Response><Speak>$nope</Speak></Response>', URL_, n, 65536, { rules: { 'undefined-variable': 'info' } });
    expect(withInfo).toMatchObject({ kind: 'document', diagnostics: [{ rule: 'undefined-variable', severity: 'info' }] });
  });

  it("each notification's parameters are known variables, for any mix of notification kinds", () => {
    const options = {};
    const uses = (name: string) => `<Response><Speak>$${name} $NotificationName</Speak></Response>`;
    // More distinct parameter lists than are remembered: the answers must stay right throughout.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 70; i++) {
        const params = { CallId: 'c1', [`P${i}`]: 'x' };
        const result = compileReply(uses(`P${i}`), URL_, { ...n, params }, 65536, options);
        expect(result, `P${i}`).toEqual({ kind: 'document', program: expect.any(Object), url: URL_ });
        expect(compileReply(uses(`P${i + 1}`), URL_, { ...n, params }, 65536, options)).toMatchObject({ diagnostics: [{ rule: 'undefined-variable' }] });
      }
    }
  });

  it('knownVariables of the options are kept next to the parameters', () => {
    const result = compileReply('<Response><Speak>$tenant $CallId</Speak></Response>', URL_, n, 65536, { knownVariables: ['tenant'] });
    expect(result).not.toHaveProperty('diagnostics');
  });
});
