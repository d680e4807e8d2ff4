/**
 * Forms the vendor documents that ozml does not run, each with what to write instead
 * (docs/language.md, "Vendor forms ozml does not run"). unknown-verb and unknown-attribute explain
 * them instead of guessing at a typo. Keys are lower-case: names match in any letter case.
 */

const HTTP_COMMAND = 'is a command of the vendor\'s HTTP API, sent to the phone system as a request, not an OzML verb';

/** Element name → why ozml has no such verb and what to use. */
export const UNSUPPORTED_VERBS: ReadonlyMap<string, string> = new Map([
  ['sql', 'is listed by the vendor without a definition ("SQL OzML"); ozml fetches documents from URLs only: serve the query\'s result from a web server and <GoTo> its URL'],
  ['waitformsg', 'is an Ozeki 10 messaging command the vendor does not define; ozml has no message input'],
  ['sendmessage', 'is an Ozeki 10 messaging command the vendor does not define; send messages with <SendSms> or <SendMsg>'],
  ['receivemessage', 'is an Ozeki 10 messaging command the vendor does not define; ozml has no message input'],
  ...['ListActiveCalls', 'AddConfig', 'GetConfig', 'ModifyConfig', 'ListCallHistory', 'ListExtensions', 'ListExtensionTypes',
    'ListAddressbookContacts', 'ListAddressbookNames'].map((name) => [name.toLowerCase(), HTTP_COMMAND] as const),
]);

/** Canonical element name → lower-case attribute name → why ozml does not take it. */
export const UNSUPPORTED_ATTRIBUTES: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['UserInput', new Map([
    ['executesql', 'runs an SQL query in the vendor\'s SQL OzML, which ozml does not run: put a <GoTo> to a URL that runs the query in the <Input>'],
  ])],
]);
