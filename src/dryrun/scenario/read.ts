/**
 * Reading scenario text (YAML or JSON, one parser for both) while keeping source positions, so a
 * problem can point at the line and column of the field it is about.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';

export interface ParsedScenarioText {
  value: unknown;
  /** Line and column (1-based) of the value at `path`, or of its key when `atKey`; the nearest existing ancestor otherwise. */
  position(path: readonly string[], atKey?: boolean): { line: number; column: number };
}

export class ScenarioSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = 'ScenarioSyntaxError';
  }
}

/**
 * Numbers people write without quotes (`to: 2001`, `from: +15551230001`, `Target: 0123`) are phone
 * numbers, digits or attribute text, not arithmetic: in these places a plain number keeps its text.
 */
const TEXT_KEYS = new Set(['from', 'to', 'number', 'apiExtension', 'digits', 'dtmfSent', 'target', 'call', 'result', 'session', 'seed', 'error']);
const TEXT_MAPS = new Set(['attributes', 'params']);
const NUMBER_KEYED_MAPS = new Set(['parties', 'services']);

function keepText(node: unknown): void {
  if (isScalar(node) && typeof node.value === 'number' && node.source !== undefined && node.type === 'PLAIN') node.value = node.source;
}

function normaliseNumbers(node: unknown, parentKey: string | undefined, inTextMap: boolean): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (parentKey !== undefined && NUMBER_KEYED_MAPS.has(parentKey)) keepText(pair.key);
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (inTextMap || (key !== undefined && TEXT_KEYS.has(key))) keepText(pair.value);
      normaliseNumbers(pair.value, key, key !== undefined && TEXT_MAPS.has(key));
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      if (parentKey === 'presses') keepText(item);
      normaliseNumbers(item, undefined, false);
    }
  }
}

export function parseScenarioText(text: string): ParsedScenarioText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new ScenarioSyntaxError(first.message.split('\n')[0] ?? first.message, pos.line, pos.col);
  }
  normaliseNumbers(doc.contents, undefined, false);
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return {
    value: doc.toJS() as unknown,
    position(path, atKey = false) {
      return at(offsetOf(doc, path, atKey));
    },
  };
}

function offsetOf(doc: Document, path: readonly string[], atKey: boolean): number {
  let node: Node | null | undefined = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return offset;
      if (last && atKey && isScalar(pair.key)) return pair.key.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)] as Node | undefined;
    } else {
      return offset;
    }
    if (node?.range) offset = node.range[0];
    else return offset;
  }
  return offset;
}
