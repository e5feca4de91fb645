// `npm test`: type check, lint, unit and integration tests (PGlite, and PostgreSQL when DATABASE_URL is
// set; the embedded MQTT broker, and Mosquitto when LINLI_TEST_MQTT_URL is set) with their coverage (v8),
// then browser tests in Debian's Chromium. Ends with one summary line: "N passed, M failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const chromium = process.env.LINLI_CHROMIUM ?? '/usr/bin/chromium';
const results = [];
let passed = 0;
let failed = 0;

function step(name, cmd, args, env = {}) {
  process.stdout.write(`\n── ${name} ──\n`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - t) / 1000).toFixed(1) });
  return ok;
}

function vitestCounts(file) {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += j.numPassedTests ?? 0;
    failed += (j.numFailedTests ?? 0) + (j.numTodoTests ?? 0) + (j.numPendingTests ?? 0);
    return `${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests + j.numTodoTests} skipped`;
  } catch {
    failed += 1;
    return 'no results (the runner did not finish)';
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-test-'));
step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) &&
  step('typecheck (web)', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit']);
step('lint', bin('biome'), ['check', '--error-on-warnings', '.']);
for (const r of results) if (!r.ok) failed += 1;

/** Line, branch and function coverage from vitest's json-summary: all measured files, and per part. */
function coverageLine(file) {
  try {
    const summary = JSON.parse(fs.readFileSync(file, 'utf8'));
    const pct = (m) => `${m.pct.toFixed(1)} %`;
    const part = (prefix) => {
      const sum = { covered: 0, total: 0 };
      for (const [name, c] of Object.entries(summary)) {
        if (name === 'total' || !path.relative(root, name).startsWith(prefix)) continue;
        sum.covered += c.lines.covered;
        sum.total += c.lines.total;
      }
      return sum.total ? `${((100 * sum.covered) / sum.total).toFixed(1)} %` : 'n/a';
    };
    const { lines, branches, functions } = summary.total;
    return (
      `lines ${pct(lines)}, branches ${pct(branches)}, functions ${pct(functions)} ` +
      `(lines: server ${part('server/')}, web ${part('web/')}, whose pages the browser tests cover)`
    );
  } catch {
    return 'not measured (the runner did not finish)';
  }
}

const json = path.join(tmp, 'vitest.json');
const coverageDir = path.join(tmp, 'coverage');
step('unit and integration tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${json}`,
  '--coverage.enabled=true',
  `--coverage.reportsDirectory=${coverageDir}`,
]);
const testLine = vitestCounts(json);
const coverage = coverageLine(path.join(coverageDir, 'coverage-summary.json'));

let browserLine;
if (fs.existsSync(chromium)) {
  const e2eJson = path.join(tmp, 'e2e.json');
  step('browser tests', bin('vitest'), [
    'run',
    '--config',
    'e2e/vitest.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${e2eJson}`,
  ]);
  browserLine = vitestCounts(e2eJson);
} else {
  browserLine = `NOT RUN: no Chromium at ${chromium} (install Debian's chromium: apt-get install chromium)`;
  if (process.env.CI) {
    failed += 1;
    browserLine += ' — required on CI';
  }
}

process.stdout.write('\n══ Summary ══\n');
for (const r of results) process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds} s)\n`);
process.stdout.write(
  `  database: PGlite${process.env.DATABASE_URL ? ' + PostgreSQL (DATABASE_URL)' : ' only (set DATABASE_URL to test PostgreSQL too)'}\n`,
);
process.stdout.write(
  `  MQTT: embedded broker${process.env.LINLI_TEST_MQTT_URL ? ` + ${process.env.LINLI_TEST_MQTT_URL} (LINLI_TEST_MQTT_URL)` : ' only (set LINLI_TEST_MQTT_URL to test Mosquitto too)'}\n`,
);
process.stdout.write(`  unit + integration: ${testLine}\n`);
process.stdout.write(`  coverage (v8): ${coverage}\n`);
process.stdout.write(`  browser: ${browserLine}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(failed > 0 || results.some((r) => !r.ok) ? 1 : 0);
