/**
 * Node's on-disk compile cache (`module.enableCompileCache`, Node ≥ 22.1) saves re-compiling the
 * CLI's modules on every start. Older Node versions (20 included) do not have it: then nothing happens.
 */
import module from 'node:module';

export function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    enable(); // reports problems in its return value; the cache is an optimisation, so they are ignored
  } catch {
    // A read-only or full temp directory must not stop the CLI.
  }
}
