/** NDJSON: one event per line, exactly as documented in schemas/events.schema.json. */
import { toJsonLine } from '../events.js';
import type { DryRunEvent } from '../events.js';

export function formatNdjson(events: readonly DryRunEvent[]): string {
  return events.map((event) => `${toJsonLine(event)}\n`).join('');
}
