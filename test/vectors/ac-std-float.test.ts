/**
 * Every ac_std_float vector file of ../shared/vectors/hls through the library (add, sub, mul, div,
 * fma, sqrt, from_f32, from_f64; W16_E5, W16_E8, W8_E4; every rounding mode the library accepts; with
 * and without subnormals). Results compare bit for bit, except that NaN results compare as "a NaN": the
 * library's NaN sign and payload rules are its own (see the vectors' README). Lines listed in
 * known_deviations.txt.gz, where the C++ library is not exactly rounded, must give the exact answer
 * that file states. Fast level: every 3rd line of every file; full level: every line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { floatFormat, type FloatSpec } from '../../src/formats/float.js';
import { catalog } from '../../src/formats/catalog.js';
import { add, sub, mul, div, fma, sqrt, convert, decode } from '../../src/ops/float/index.js';
import { context, type Context, type RoundingMode } from '../../src/round/modes.js';
import { LEVEL } from '../support/bridge.js';

const DIR = new URL('../../../../shared/vectors/hls/', import.meta.url).pathname;
const MODES: Record<string, RoundingMode> = { AC_RND_CONV: 'rne', AC_TRN_ZERO: 'rtz', AC_RND_INF: 'rna', AC_RND_CONV_ODD: 'rno' };

function lines(file: string): string[] {
  return gunzipSync(readFileSync(DIR + file)).toString('utf8').split('\n').filter((l) => l.length > 0);
}

const deviations = new Map<string, string>(); // "file:line" -> exact hex
for (const l of lines('known_deviations.txt.gz')) {
  const m = /^(\S+) (\d+) (.*) -> exact (\S+)$/.exec(l);
  if (!m) throw new Error(`known_deviations.txt.gz: malformed line ${JSON.stringify(l)}`);
  deviations.set(`${m[1]}:${m[2]}`, m[4]!);
}

function run(op: string, s: FloatSpec, ops: number[], ctx: Context): { code: number | bigint } {
  switch (op) {
    case 'add':
      return add(s, ops[0]!, ops[1]!, ctx);
    case 'sub':
      return sub(s, ops[0]!, ops[1]!, ctx);
    case 'mul':
      return mul(s, ops[0]!, ops[1]!, ctx);
    case 'div':
      return div(s, ops[0]!, ops[1]!, ctx);
    case 'fma':
      return fma(s, ops[0]!, ops[1]!, ops[2]!, ctx);
    case 'sqrt':
      return sqrt(s, ops[0]!, ctx);
    case 'from_f32':
      return convert(catalog.fp32, s, ops[0]!, ctx);
    default:
      throw new Error(`unknown op ${op}`);
  }
}

describe('ac_std_float reference vectors (Algorithmic C datatypes 2025.4)', function () {
  const files = readdirSync(DIR).filter((f) => f.startsWith('ac_std_float_')).sort();
  it('finds all 168 files', function () {
    expect(files).to.have.length(168);
  });
  for (const file of files) {
    const m = /^ac_std_float_(\w+?)\.W(\d+)_E(\d+)\.(AC_\w+?)(\.nosub)?\.txt\.gz$/.exec(file)!;
    const [, op, W, E, q, nosub] = m;
    it(`${file} matches bit for bit (NaN as a class)`, function () {
      const s = floatFormat({ expBits: Number(E), manBits: Number(W) - Number(E) - 1, subnormals: !nosub });
      const ctx = context({ rounding: MODES[q!]! });
      const all = lines(file);
      const bad: string[] = [];
      let checked = 0;
      for (let i = 0; i < all.length; i++) {
        const lineNo = i + 1;
        const dev = deviations.get(`${file}:${lineNo}`);
        if (LEVEL === 'fast' && i % 3 !== 0 && dev === undefined) continue;
        const f = all[i]!.split(' ');
        if (f.some((x) => !/^[0-9a-f]+$/.test(x))) throw new Error(`${file}:${lineNo}: malformed line ${JSON.stringify(all[i])}`);
        const want = dev ?? f[f.length - 1]!;
        let got: number | bigint;
        if (op === 'from_f64') {
          const bits = BigInt('0x' + f[0]);
          const fp64v = catalog.fp64;
          got = convert(fp64v, s, bits, ctx).code;
        } else {
          got = run(op!, s, f.slice(0, -1).map((x) => parseInt(x, 16)), ctx).code;
        }
        checked++;
        // known_deviations writes "NaN" where the exact answer is a NaN (a NaN source the library rounded as a number).
        const wantNaN = want === 'NaN';
        const wantCode = wantNaN ? -1 : parseInt(want, 16);
        const bothNaN = Number.isNaN(decode(s, got)) && (wantNaN || Number.isNaN(decode(s, wantCode)));
        if (!bothNaN && Number(got) !== wantCode) {
          bad.push(`line ${lineNo} "${all[i]}": got ${Number(got).toString(16)}, want ${want}${dev ? ' (exact answer from known_deviations)' : ''}`);
        }
      }
      expect(checked).to.be.greaterThan(0);
      expect(bad, bad.slice(0, 8).join('\n')).to.have.length(0);
    });
  }
});
