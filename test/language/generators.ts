/** fast-check generators of OzML documents built from the verb table (used by property.test.ts). */
import fc from 'fast-check';
import { ELEMENTS } from '../../src/language/index.js';
import type { AttributeSpec } from '../../src/language/index.js';

/** Sample values per attribute type: mostly valid, sometimes not. */
function valueFor(spec: AttributeSpec): fc.Arbitrary<string> {
  const junk = fc.constantFrom('', ' ', 'x y', '$item', '$undefined.name', '&amp;', '<', '"', 'é😀', '-1', '99999999999');
  const valid: Record<string, fc.Arbitrary<string>> = {
    string: fc.constantFrom('hello', '+15551234567', '0123', 'a@example.com', '1234', '12'),
    integer: fc.integer({ min: -5, max: 700 }).map(String),
    boolean: fc.mixedCase(fc.constantFrom('true', 'false')),
    enum: spec.type.kind === 'enum' ? fc.mixedCase(fc.constantFrom(...spec.type.values)) : fc.constant('x'),
    url: fc.constantFrom('https://app.example.com/a', '/ozml/next', 'next.php?x=1', 'ftp://x'),
    dtmf: fc.stringMatching(/^[0-9*#]{1,4}$/),
    'dtmf-key': fc.constantFrom('1', '*', '#', 'A'),
    address: fc.constantFrom('1001', '+15551234567', 'sip:a@b.example', '102@localhost'),
    'caller-id': fc.constantFrom('private', 'caller', '+15550001111'),
    identifier: fc.constantFrom('voicemails', 'items', 'x', 'menu'),
    tone: fc.constantFrom('ringback-us', 'busy', 'none'),
    service: fc.constantFrom('payments', 'survey'),
    language: fc.constantFrom('en-US', 'pt-BR', 'hu'),
  };
  return fc.oneof({ weight: 4, arbitrary: valid[spec.type.kind] ?? fc.constant('x') }, { weight: 1, arbitrary: junk });
}

const xmlEscape = (s: string) => s.replace(/&(?!amp;)/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** An element of the catalogue (any element anywhere, so misplacements happen), rendered as XML. */
export const element: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ELEMENTS).chain((spec) =>
      fc.record({
        name: fc.oneof({ weight: 5, arbitrary: fc.constant(spec.name) }, { weight: 1, arbitrary: fc.mixedCase(fc.constantFrom(spec.name, ...(spec.aliases ?? []))) }),
        attributes: fc.subarray([...spec.attributes]).chain((specs) =>
          fc.tuple(...specs.map((a) => valueFor(a).map((v) => ` ${a.name}="${xmlEscape(v)}"`)))),
        text: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('Hello $name', '5', '1001', 'https://a.example/x', ' ') }),
        children: spec.children.kind === 'none'
          ? fc.oneof({ weight: 5, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 1 }) })
          : fc.array(tie('node'), { maxLength: 3 }),
      }).map(({ name, attributes, text, children }) => {
        const attrs = attributes.join('');
        return text || children.length ? `<${name}${attrs}>${xmlEscape(text)}${children.join('\n')}</${name}>` : `<${name}${attrs}/>`;
      })),
    fc.constantFrom('<Speek>Hi</Speek>', '<Unknown a="1"/>', '<!-- note -->', '<![CDATA[text]]>'),
  ),
})).node;

/** A whole document: a root (mostly <Response>), an optional declaration and up to six elements. */
export const documentArb: fc.Arbitrary<string> = fc.record({
  root: fc.constantFrom('Response', 'Response', 'Response', 'OzML', 'response', 'Reply'),
  declaration: fc.boolean(),
  body: fc.array(element, { maxLength: 6 }),
  newline: fc.constantFrom('\n', '\r\n', '\n\t'),
}).map(({ root, declaration, body, newline }) =>
  `${declaration ? '<?xml version="1.0" encoding="UTF-8"?>' + newline : ''}<${root}>${newline}${body.join(newline)}${newline}</${root}>`);
