// Module customization hooks for record-loads.mjs.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.OZML_LOAD_LOG) appendFileSync(process.env.OZML_LOAD_LOG, `${resolved.url}\n`);
  return resolved;
}
