import { describe, expect, it } from 'vitest';

// Every web source, as text, keyed by its path under a fake root.
const raw = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const sources = new Map(
  Object.entries(raw).map(([key, text]) => [new URL(key, 'file:///web/src/mobile/').pathname, text]),
);

function resolve(from: string, spec: string): string | undefined {
  const base = new URL(spec, `file://${from}`).pathname;
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((p) => sources.has(p));
}

/** Every module the phone shell loads, following relative static imports from its entry. */
function reachableFrom(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    const text = sources.get(file);
    if (text === undefined || seen.has(file)) continue;
    seen.set(file, text);
    for (const [, spec] of text.matchAll(/^import\s[^;]*?from\s+'(\.[^']+)'/gm)) {
      const target = spec ? resolve(file, spec) : undefined;
      if (target) queue.push(target);
    }
  }
  return seen;
}

describe('the phone shell bundle', () => {
  it('never imports the desktop UI library, so a phone does not download antd', () => {
    const modules = reachableFrom('/web/src/mobile/mobile-app.tsx');
    expect(modules.size).toBeGreaterThan(5);
    const offenders = [...modules]
      .filter(([, text]) => /from\s+'(antd|antd\/[^']*|@ant-design\/[^']*)'/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});
