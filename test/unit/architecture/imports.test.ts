import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering rules of docs/ARCHITECTURE.md, read from the source itself so they hold from now on.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Every relative import (type-only ones included: they tie modules together just the same). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/g), ...text.matchAll(/import\('(\.[^']+)'\)/g)];
  return found.map((m) => relative(SRC, resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'))));
}

/** The layers that speak a protocol; they read the store but write only through the service. */
const SURFACES = ['api', 'dav', 'feeds', 'pages', 'dashboard', 'cli', 'http'];

/** Store methods that change something: every method of the Store interface but the readers. */
const READERS = /^(get|list|find|count|is|changesSince|outboxAfter|lastOutboxSeq|dailyStats|syncsByClient|backup|close|ping)/;
const STORE_WRITES = ['store/types.ts', 'store/subscriber-types.ts']
  .flatMap((f) => [...readFileSync(join(SRC, f), 'utf8').matchAll(/^\s{2}(\w+)\(.*\): Promise</gm)].map((m) => m[1]!))
  .filter((name) => !READERS.test(name));

const graph = new Map(sourceFiles(SRC).map((f) => [relative(SRC, f), importsOf(f)]));
const layer = (path: string) => path.split('/')[0]!;

/** Strongly connected components with more than one module (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const stack: string[] = [];
  const meta = new Map<string, { index: number; low: number; onStack: boolean }>();
  const out: string[][] = [];
  const visit = (v: string) => {
    const m = { index, low: index, onStack: true };
    index++;
    meta.set(v, m);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      const mw = meta.get(w);
      if (!mw) {
        visit(w);
        m.low = Math.min(m.low, meta.get(w)!.low);
      } else if (mw.onStack) m.low = Math.min(m.low, mw.index);
    }
    if (m.low === m.index) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        meta.get(w)!.onStack = false;
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!meta.has(v)) visit(v);
  return out;
}

describe('module layering', () => {
  it('reads the source tree', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('app.ts')).toContain('feeds/router.ts');
  });

  it('ical/ is pure: it imports only ical/ and packages', () => {
    const upward = [...graph].flatMap(([file, deps]) =>
      layer(file) === 'ical' ? deps.filter((d) => layer(d) !== 'ical').map((d) => `${file} → ${d}`) : []);
    expect(upward).toEqual([]);
  });

  it('store/ never sees HTTP or the layers above it', () => {
    const allowed = new Set(['store', 'util']);
    const upward = [...graph].flatMap(([file, deps]) =>
      layer(file) === 'store' ? deps.filter((d) => !allowed.has(layer(d))).map((d) => `${file} → ${d}`) : []);
    expect(upward).toEqual([]);
  });

  it('the calendar service sits below every surface: it imports none of them, nor HTTP errors', () => {
    const surfaces = new Set([...SURFACES, 'errors.ts']);
    const upward = [...graph].flatMap(([file, deps]) =>
      layer(file) === 'calendar' ? deps.filter((d) => surfaces.has(layer(d))).map((d) => `${file} → ${d}`) : []);
    expect(upward).toEqual([]);
  });

  it('surfaces write only through the calendar service, never through a store write', () => {
    expect(STORE_WRITES).toEqual(expect.arrayContaining(['createObject', 'updateCalendar', 'deleteSubscriber', 'touchToken']));
    const pattern = new RegExp(`\\bstore!?\\??\\.(${STORE_WRITES.join('|')})\\(`, 'g');
    const calls = [...graph.keys()].filter((f) => SURFACES.includes(layer(f)) || f === 'bootstrap.ts' || f === 'app.ts')
      .flatMap((f) => [...readFileSync(join(SRC, f), 'utf8').matchAll(pattern)].map((m) => `${f}: store.${m[1]}`));
    expect(calls).toEqual([]);
  });

  it('no import circles', () => {
    expect(cycles()).toEqual([]);
  });
});
