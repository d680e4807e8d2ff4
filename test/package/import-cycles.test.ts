import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, readImportGraph } from './import-graph.js';
import type { ImportGraph } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * Cycles that exist on this branch and that other work in flight removes. None are left: the call
 * layer, the engine and its service desk no longer import each other (issue 10).
 * Each entry is the exact set of modules of one cycle: a cycle that grows, shrinks or appears
 * elsewhere fails the test. Empty this list when those changes land; it must not grow.
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [
];

/**
 * The layers, outermost first: a module may import its own area and the areas listed for it,
 * nothing else. `index.ts` at the root is the package's front door and
 * may import every area.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  cli: ['api', 'dryrun', 'platform', 'engine', 'webhooks', 'calls', 'config', 'language'],
  api: ['platform', 'engine', 'webhooks', 'calls', 'config', 'language'],
  dryrun: ['platform', 'engine', 'webhooks', 'calls', 'config', 'language'],
  platform: ['engine', 'webhooks', 'calls', 'config', 'language'],
  engine: ['webhooks', 'calls', 'language'],
  webhooks: ['calls', 'language'],
  calls: ['language'],
  config: ['language'],
  language: [],
};

const areaOf = (module: string): string => (module.includes('/') ? module.slice(0, module.indexOf('/')) : module);

/** `from → to` for every import that crosses the layer rule. */
function layerViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const area = areaOf(from);
    if (from === 'index.ts') continue;
    const allowed = MAY_IMPORT[area];
    for (const to of targets) {
      const target = areaOf(to);
      if (target === area) continue;
      if (!allowed || !allowed.includes(target)) out.push(`${from} → ${to}`);
    }
  }
  return out;
}

describe('the import graph of src/', () => {
  const graph = readImportGraph(SRC);

  it('reads the graph (a sanity check that the reader finds imports)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('engine/run.ts')).toContain('engine/verbs/index.ts');
    expect(graph.get('cli/main.ts')).toContain('cli/run.ts'); // a dynamic import()
  });

  it('has no import cycle beyond the known ones', () => {
    const known = new Set(KNOWN_CYCLES.map((cycle) => [...cycle].sort().join(' ↔ ')));
    const unexpected = findCycles(graph).map((cycle) => cycle.join(' ↔ ')).filter((cycle) => !known.has(cycle));
    expect(unexpected, 'import cycles (each names its modules)').toEqual([]);
  });

  it('still has every known cycle (remove an entry once its cycle is gone)', () => {
    const found = new Set(findCycles(graph).map((cycle) => cycle.join(' ↔ ')));
    const gone = KNOWN_CYCLES.map((cycle) => [...cycle].sort().join(' ↔ ')).filter((cycle) => !found.has(cycle));
    expect(gone, 'known cycles no longer present').toEqual([]);
  });

  it('points one way: cli → api → platform → engine/webhooks → calls → language', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('has an area for every top-level folder', () => {
    const areas = new Set([...graph.keys()].filter((m) => m.includes('/')).map(areaOf));
    expect([...areas].filter((area) => !(area in MAY_IMPORT))).toEqual([]);
  });
});

describe('the dry run on the platform', () => {
  const graph = readImportGraph(SRC);
  /** How calls are dispatched, routed and served is the platform's business alone (docs/platform.md). */
  const DISPATCH = ['platform/dispatcher.ts', 'platform/routing.ts', 'platform/services.ts', 'platform/third-party.ts', 'platform/work.ts'];

  it('has the dispatch modules this test guards (a renamed module must be named here)', () => {
    expect(DISPATCH.filter((module) => !graph.has(module))).toEqual([]);
  });

  /** `from → to` for every import of a dispatch module from src/dryrun. */
  const dispatchImports = (g: ImportGraph): string[] => [...g].filter(([from]) => from.startsWith('dryrun/'))
    .flatMap(([from, targets]) => targets.filter((to) => DISPATCH.includes(to)).map((to) => `${from} → ${to}`));

  it('src/dryrun imports none of the dispatch, routing or service modules, only the platform', () => {
    expect(dispatchImports(graph)).toEqual([]);
  });

  it('finds an import of a dispatch module (the check can fail)', () => {
    const planted = new Map(graph);
    planted.set('dryrun/planted.ts', ['platform/index.ts', 'platform/routing.ts']);
    expect(dispatchImports(planted)).toEqual(['dryrun/planted.ts → platform/routing.ts']);
  });
});

describe('the cycle finder', () => {
  const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('names every module of a cycle, and only those', () => {
    expect(findCycles(graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts', 'd.ts'], 'd.ts': [] }))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('finds a module importing itself and two separate cycles', () => {
    expect(findCycles(graphOf({ 'a.ts': ['a.ts'], 'b.ts': ['c.ts'], 'c.ts': ['b.ts'] }))).toEqual([['a.ts'], ['b.ts', 'c.ts']]);
  });

  it('finds none in a graph without cycles', () => {
    expect(findCycles(graphOf({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [] }))).toEqual([]);
  });
});
