/**
 * The XML every Ozeki API reply is: HTTP 200, `application/xml`, a `<Response>` with `<Code>`,
 * `<Message>` and the command's own elements, laid out as the vendor's server writes it
 * (declaration, the two namespace declarations, two-space indentation).
 */
import type { OzekiStatus } from './codes.js';
import { statusCode, statusMessage } from './codes.js';

/** An element of the reply body: text, or children in order. */
export type XmlNode = { name: string; text: string } | { name: string; children: readonly XmlNode[] };

export const REPLY_HEAD = '<?xml version="1.0"?>\n<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped rather than producing an unreadable reply.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

function writeNode(node: XmlNode, indent: string, out: string[]): void {
  if ('text' in node) {
    out.push(`${indent}<${node.name}>${escapeXml(node.text)}</${node.name}>\n`);
    return;
  }
  if (node.children.length === 0) {
    out.push(`${indent}<${node.name} />\n`);
    return;
  }
  out.push(`${indent}<${node.name}>\n`);
  for (const child of node.children) writeNode(child, `${indent}  `, out);
  out.push(`${indent}</${node.name}>\n`);
}

/** The whole reply body for a status and the command's extra elements. */
export function replyXml(status: OzekiStatus, extra: readonly XmlNode[] = []): string {
  const out = [REPLY_HEAD, `  <Code>${statusCode(status)}</Code>\n`, `  <Message>${escapeXml(statusMessage(status))}</Message>\n`];
  for (const node of extra) writeNode(node, '  ', out);
  out.push('</Response>');
  return out.join('');
}
