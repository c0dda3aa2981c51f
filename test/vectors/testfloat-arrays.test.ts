/**
 * Berkeley TestFloat's reference vectors (`../shared/vectors/testfloat/`, SoftFloat 3e 8086-SSE)
 * through the array kernels: every line of every `f16_mulAdd` file through one `fmaArray` call, every
 * line of every `f32_to_f16` file through one `encodeArray` call (except NaN sources: a JavaScript
 * number carries no NaN payload or signalling bit, so those convert through `convert`, tested by
 * `testfloat.test.ts`), results and flags bit for bit (the
 * scalar operations are checked on the same files by `testfloat.test.ts`). All lines at every level:
 * one array call per file is cheap.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { catalog } from '../../src/formats/catalog.js';
import { encodeArray, fmaArray } from '../../src/ops/float/index.js';
import { context, type RoundingMode } from '../../src/round/modes.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..'); // dist/test/vectors → repository root

function vectorDir(): string | undefined {
  const candidates = [
    process.env.BITEXACT_VECTORS && join(process.env.BITEXACT_VECTORS, 'testfloat'),
    resolve(ROOT, '../shared/vectors/testfloat'),
    '/work/shared/vectors/testfloat',
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** The hex fields of every line of a vector file. */
function readLines(dir: string, file: string): number[][] {
  const text = gunzipSync(readFileSync(join(dir, file))).toString('latin1');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).map((t) => parseInt(t, 16)));
}

function settings(file: string): { rounding: RoundingMode; tininess: 'before' | 'after' } {
  const [, rounding, variant] = file.replace(/\.txt\.gz$/, '').split('.') as [string, RoundingMode, string];
  return { rounding, tininess: variant === 'before' ? 'before' : 'after' };
}

describe('TestFloat reference vectors through the array kernels (every line)', function () {
  const dir = vectorDir();
  const files = dir ? readdirSync(dir).filter((f) => /^(f16_mulAdd|f32_to_f16)\..*\.txt\.gz$/.test(f)).sort() : [];

  it(`finds the f16_mulAdd and f32_to_f16 files (${files.length} in ${dir ?? 'no folder'})`, function () {
    expect(files.filter((f) => f.startsWith('f16_mulAdd')).length).to.be.greaterThan(0);
    expect(files.filter((f) => f.startsWith('f32_to_f16')).length).to.be.greaterThan(0);
  });

  for (const file of files) {
    it(`${file}: every line, result and flags`, function () {
      const rows = readLines(dir!, file);
      const ctx = context(settings(file));
      const n = rows.length;
      const out = new Uint16Array(n);
      const fl = new Uint8Array(n);
      const mulAdd = file.startsWith('f16_mulAdd');
      if (mulAdd) {
        const a = new Uint16Array(rows.map((r) => r[0]!));
        const b = new Uint16Array(rows.map((r) => r[1]!));
        const c = new Uint16Array(rows.map((r) => r[2]!));
        fmaArray(catalog.fp16, a, b, c, out, ctx, fl);
      } else {
        const f32 = new Float32Array(new Uint32Array(rows.map((r) => r[0]!)).buffer);
        encodeArray(catalog.fp16, Float64Array.from(f32), out, ctx, fl);
      }
      const bad: string[] = [];
      let count = 0;
      let checked = 0;
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        if (!mulAdd && (row[0]! & 0x7f800000) === 0x7f800000 && (row[0]! & 0x7fffff) !== 0) continue; // a NaN source
        checked++;
        const [want, wantFlags] = mulAdd ? [row[3]!, row[4]!] : [row[1]!, row[2]!];
        // NaN results: SoftFloat's default NaN (our fp16 policy matches it bit for bit).
        if (out[i] !== want || fl[i] !== wantFlags) {
          count++;
          if (bad.length < 8) bad.push(`line ${i + 1}: ${row.map((x) => x.toString(16)).join(' ')} → got ${out[i]!.toString(16)} ${fl[i]!.toString(16)}`);
        }
      }
      expect(checked).to.be.greaterThan(1000);
      expect(count, `${file}: ${count} of ${checked} lines differ\n${bad.join('\n')}`).to.equal(0);
    });
  }
});
