import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` on the Node.js line the README names must not warn EBADENGINE: every package in the lock file whose
 * `engines.node` is set must accept every release of that line that Linli itself accepts (the lowest included).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// semver (npm's own rules) comes with the toolchain; no typings are installed for it, so it is typed here.
const semver = createRequire(import.meta.url)('semver') as {
  subset(sub: string, dom: string, opts?: { includePrerelease?: boolean }): boolean;
  validRange(range: string): string | null;
  minVersion(range: string): { version: string } | null;
};

type LockPackage = { engines?: Record<string, string> | string[]; optional?: boolean };

/** The Node.js line the README names, and the release it says the line must have reached ("20 (20.19 or later)"). */
function readmeNode(): { line: number; least: string | null } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /Node\.js (\d+)(?: \((\d+\.\d+) or later\))?/.exec(readme);
  if (!m) throw new Error('the README names no Node.js version');
  return { line: Number(m[1]), least: m[2] ?? null };
}

function nodeRange(engines: LockPackage['engines']): string | null {
  if (!engines) return null;
  if (Array.isArray(engines)) {
    const entry = engines.find((e) => /^node\b/.test(e.trim()));
    return entry ? entry.trim().replace(/^node\s*/, '') : null;
  }
  return engines.node ?? null;
}

describe('Node.js engines', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  const { line, least } = readmeNode();
  const own = nodeRange(lock.packages['']?.engines);
  // the releases of the README's line that Linli's own `engines` accepts
  const supported = `${own ?? '*'} >=${line}.0.0 <${line + 1}.0.0-0`;

  it('names the Node.js line of Linli’s own engines in the README, from the same release on', () => {
    expect(line).toBe(20);
    // the README's "20.19 or later" is where Linli's own engines begin (vite and rolldown need 20.19)
    expect(semver.minVersion(supported)?.version).toBe(`${least ?? `${line}.0`}.0`);
  });

  it('has no package in the lock file that wants another Node.js than the README’s line', () => {
    const refused: string[] = [];
    let checked = 0;
    for (const [name, pkg] of Object.entries(lock.packages)) {
      if (name === '') continue;
      const range = nodeRange(pkg.engines);
      if (range === null) continue;
      checked++;
      const valid = semver.validRange(range);
      if (valid === null || !semver.subset(supported, valid)) refused.push(`${name}: node ${range}`);
    }
    expect(checked).toBeGreaterThan(100);
    expect(refused).toEqual([]);
  });
});
