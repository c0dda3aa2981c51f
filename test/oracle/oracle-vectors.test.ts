// Validates the oracle (test/oracle/) against external references:
//   - Berkeley TestFloat f16 vectors (SoftFloat 3e, 8086-SSE): results and flags, bit for bit;
//   - HLS vectors produced by the ap_fixed and ac_std_float C++ headers themselves.
// Fast level (default): a deterministic sample of lines. Full level: BITEXACT_LEVEL=full.

import { expect } from 'chai';
import * as path from 'node:path';
import {
  fp16, fp32, fp64, oAdd, oCompare, oConvert, oDecode, oDiv, oFma, oFromInt, oIsNaN, oMul, oSqrt, oSub, oToInt,
} from './float.js';
import type { OCtx, OFormat, OMode, OResult } from './float.js';
import { oFixedFromRational, oFixedValue } from './fixed.js';
import type { OFixed } from './fixed.js';
import * as Q from './rational.js';
import { FULL, hex, listGz, readGzLines, sampled, Tally, vectorsRoot } from './vectors-io.js';

const ROOT = vectorsRoot();
/** Fast level: every SAMPLE-th line of each file (the offset varies by file). */
const SAMPLE = 4;
const totals = new Map<string, { files: number; checked: number; skipped: number; mismatches: number }>();

function record(family: string, t: Tally, files = 1): void {
  const s = totals.get(family) ?? { files: 0, checked: 0, skipped: 0, mismatches: 0 };
  s.files += files;
  s.checked += t.checked;
  s.skipped += t.skipped;
  s.mismatches += t.mismatches;
  totals.set(family, s);
}

function assertClean(file: string, t: Tally): void {
  expect(t.mismatches, `${file}: ${t.mismatches} mismatches of ${t.checked} lines\n${t.report()}`).to.equal(0);
  expect(t.checked, `${file}: no line checked`).to.be.greaterThan(0);
}

after(function () {
  if (totals.size === 0) return;
  const lines = [...totals].map(([k, s]) => `    ${k}: ${s.files} files, ${s.checked} lines checked, ${s.mismatches} mismatches` + (s.skipped ? `, ${s.skipped} listed deviation lines checked separately` : ''));
  console.log(`\n  oracle vectors (${FULL ? 'full' : 'fast'} level):\n${lines.join('\n')}`);
});

const h = (x: bigint, digits: number): string => x.toString(16).toUpperCase().padStart(digits, '0');
const fl = (x: number): string => x.toString(16).toUpperCase().padStart(2, '0');

// -----------------------------------------------------------------------------------------------
// Berkeley TestFloat

const TF_MODES: Record<string, OMode> = { rne: 'rne', rtz: 'rtz', rdn: 'rdn', rup: 'rup', rna: 'rna' };

describe('the oracle against Berkeley TestFloat f16 vectors (SoftFloat 3e, 8086-SSE)', function () {
  if (!ROOT) {
    it('finds the shared vectors folder (skipped: not present)', function () {
      this.skip();
    });
    return;
  }
  const dir = path.join(ROOT, 'testfloat');
  const files = listGz(dir, '');
  files.forEach((file, fileIndex) => {
    it(`agrees on every sampled line of ${file}, result and flags`, function () {
      const parts = file.replace('.txt.gz', '').split('.');
      const fn = parts[0]!;
      const mode: OMode = TF_MODES[parts[1] ?? 'rne'] ?? 'rne';
      const variant = parts[2];
      const ctx: OCtx = { mode, tininess: variant === 'before' ? 'before' : 'after' };
      const lines = readGzLines(path.join(dir, file));
      const t = new Tally();
      lines.forEach((line, i) => {
        if (!sampled(i, SAMPLE, fileIndex)) return;
        const f = line.split(' ');
        const want = f[f.length - 2]!;
        const wantFlags = parseInt(f[f.length - 1]!, 16);
        let got: OResult;
        let width = 4;
        switch (fn) {
          case 'f16_add': got = oAdd(fp16, hex(f[0]!), hex(f[1]!), ctx); break;
          case 'f16_sub': got = oSub(fp16, hex(f[0]!), hex(f[1]!), ctx); break;
          case 'f16_mul': got = oMul(fp16, hex(f[0]!), hex(f[1]!), ctx); break;
          case 'f16_div': got = oDiv(fp16, hex(f[0]!), hex(f[1]!), ctx); break;
          case 'f16_mulAdd': got = oFma(fp16, hex(f[0]!), hex(f[1]!), hex(f[2]!), ctx); break;
          case 'f16_sqrt': got = oSqrt(fp16, hex(f[0]!), ctx); break;
          case 'f32_to_f16': got = oConvert(fp32, fp16, hex(f[0]!), ctx); break;
          case 'f16_to_f32': got = oConvert(fp16, fp32, hex(f[0]!), ctx); width = 8; break;
          case 'i32_to_f16': got = oFromInt(fp16, BigInt.asIntN(32, hex(f[0]!)), ctx); break;
          case 'f16_to_i32': got = oToInt(fp16, hex(f[0]!), 32, true, mode, variant === 'exact'); width = 8; break;
          case 'f16_to_ui32': got = oToInt(fp16, hex(f[0]!), 32, false, mode, variant === 'exact'); width = 8; break;
          case 'f16_eq': case 'f16_lt': case 'f16_le': {
            const r = oCompare(fp16, fn.slice(4) as 'eq' | 'lt' | 'le', hex(f[0]!), hex(f[1]!));
            got = { code: r.value ? 1n : 0n, flags: r.flags };
            width = 1;
            break;
          }
          default: throw new Error(`unknown TestFloat function ${fn}`);
        }
        if (got.code === hex(want) && got.flags === wantFlags) t.ok();
        else t.bad(`line ${i + 1}: ${line}  -> oracle ${h(got.code, width)} ${fl(got.flags)}`);
      });
      record('TestFloat', t);
      assertClean(file, t);
    });
  });
});

// -----------------------------------------------------------------------------------------------
// ac_std_float

const AC_MODES: Record<string, OMode> = {
  AC_TRN_ZERO: 'rtz', AC_RND_CONV: 'rne', AC_RND_INF: 'rna', AC_RND_CONV_ODD: 'rno',
};

interface Deviation { line: string; exact: string }

function loadDeviations(dir: string): Map<string, Map<number, Deviation>> {
  const out = new Map<string, Map<number, Deviation>>();
  for (const l of readGzLines(path.join(dir, 'known_deviations.txt.gz'))) {
    const m = /^(\S+) (\d+) (.*) -> exact (\S+)$/.exec(l);
    if (!m) throw new Error(`unreadable deviation line: ${l}`);
    const byLine = out.get(m[1]!) ?? new Map<number, Deviation>();
    byLine.set(Number(m[2]), { line: m[3]!, exact: m[4]! });
    out.set(m[1]!, byLine);
  }
  return out;
}

describe('the oracle against ac_std_float vectors (Algorithmic C datatypes)', function () {
  if (!ROOT) {
    it('finds the shared vectors folder (skipped: not present)', function () {
      this.skip();
    });
    return;
  }
  const dir = path.join(ROOT, 'hls');
  const files = listGz(dir, 'ac_std_float_');
  const deviations = loadDeviations(dir);

  it('reads a known-deviation list that names only existing files', function () {
    for (const name of deviations.keys()) expect(files, name).to.include(name);
    expect(deviations.size).to.be.greaterThan(0);
  });

  files.forEach((file, fileIndex) => {
    it(`agrees on every sampled line of ${file} (NaN results compared as NaN)`, function () {
      const m = /^ac_std_float_(\w+)\.W(\d+)_E(\d+)\.(\w+?)(\.nosub)?\.txt\.gz$/.exec(file);
      if (!m) throw new Error(`unparsed file name ${file}`);
      const op = m[1]!;
      const W = Number(m[2]);
      const E = Number(m[3]);
      const fmt: OFormat = {
        expBits: E, manBits: W - E - 1, bias: 2 ** (E - 1) - 1, subnormals: !m[5], specials: 'ieee', overflow: 'inf', signed: true,
      };
      const ctx: OCtx = { mode: AC_MODES[m[4]!]!, tininess: 'after' };
      expect(ctx.mode, m[4]).to.be.a('string');
      const dev = deviations.get(file) ?? new Map<number, Deviation>();
      const run = (g: OFormat, f: bigint[]): bigint => {
        switch (op) {
          case 'add': return oAdd(g, f[0]!, f[1]!, ctx).code;
          case 'sub': return oSub(g, f[0]!, f[1]!, ctx).code;
          case 'mul': return oMul(g, f[0]!, f[1]!, ctx).code;
          case 'div': return oDiv(g, f[0]!, f[1]!, ctx).code;
          case 'fma': return oFma(g, f[0]!, f[1]!, f[2]!, ctx).code;
          case 'sqrt': return oSqrt(g, f[0]!, ctx).code;
          case 'from_f32': return oConvert(fp32, g, f[0]!, ctx).code;
          case 'from_f64': return oConvert(fp64, g, f[0]!, ctx).code;
          default: throw new Error(`unknown ac_std_float op ${op}`);
        }
      };
      const lines = readGzLines(path.join(dir, file));
      const digits = Math.ceil(W / 4);
      const t = new Tally();
      lines.forEach((line, i) => {
        const known = dev.get(i + 1);
        if (!known && !sampled(i, SAMPLE, fileIndex)) return;
        const f = line.split(' ').map(hex);
        const got = run(fmt, f);
        const gotText = oIsNaN(fmt, got) ? 'NaN' : got.toString(16).padStart(digits, '0');
        if (known) {
          // The library is not exactly rounded here: hold the oracle to the exact answer instead.
          t.skipped++;
          if (known.line !== line) t.bad(`line ${i + 1}: deviation list says "${known.line}", file says "${line}"`);
          else if (known.exact.toLowerCase() === 'nan' ? gotText !== 'NaN' : gotText !== known.exact.toLowerCase()) {
            t.bad(`line ${i + 1}: ${line}  deviation's exact ${known.exact}, oracle ${gotText}`);
          }
          return;
        }
        const want = f[f.length - 1]!;
        const same = oIsNaN(fmt, want) ? oIsNaN(fmt, got) : got === want;
        if (same) t.ok();
        else t.bad(`line ${i + 1}: ${line}  -> oracle ${gotText}`);
      });
      record('ac_std_float', t);
      expect(t.mismatches, `${file}: ${t.mismatches} mismatches of ${t.checked} lines\n${t.report()}`).to.equal(0);
    });
  });
});

// -----------------------------------------------------------------------------------------------
// ap_fixed

const AP_QUANT: Record<string, OFixed['quant']> = {
  AP_TRN: 'TRN', AP_TRN_ZERO: 'TRN_ZERO', AP_RND: 'RND', AP_RND_ZERO: 'RND_ZERO', AP_RND_MIN_INF: 'RND_MIN_INF',
  AP_RND_INF: 'RND_INF', AP_RND_CONV: 'RND_CONV',
};
const AP_OVF: Record<string, OFixed['overflow']> = {
  AP_SAT: 'SAT', AP_SAT_ZERO: 'SAT_ZERO', AP_SAT_SYM: 'SAT_SYM', AP_WRAP: 'WRAP', AP_WRAP_SM: 'WRAP_SM',
};

/** `W8_I4_s` with the given modes; ap_fixed<W,I> has frac = W - I. */
function apFormat(tag: string, quant: OFixed['quant'] = 'TRN', overflow: OFixed['overflow'] = 'WRAP', satBits = 0): OFixed {
  const m = /^W(\d+)_I(-?\d+)_([su])$/.exec(tag);
  if (!m) throw new Error(`unparsed ap_fixed tag ${tag}`);
  const W = Number(m[1]);
  return { width: W, frac: W - Number(m[2]), signed: m[3] === 's', quant, overflow, satBits };
}

const AP_SRC32 = apFormat('W32_I16_s');

describe('the oracle against ap_fixed vectors (Vitis HLS arbitrary precision types)', function () {
  if (!ROOT) {
    it('finds the shared vectors folder (skipped: not present)', function () {
      this.skip();
    });
    return;
  }
  const dir = path.join(ROOT, 'hls');
  for (const family of ['ap_fixed_q', 'ap_fixed_add', 'ap_fixed_sub', 'ap_fixed_mul']) {
    it(`agrees on every sampled line of the ${family} files, in every quantisation and overflow mode`, function () {
      const files = listGz(dir, family + '.');
      expect(files.length).to.be.greaterThan(0);
      const all = new Tally();
      files.forEach((file, fileIndex) => {
        const parts = file.replace('.txt.gz', '').split('.');
        const n1 = parts[parts.length - 1] === 'N1';
        if (n1) parts.pop();
        const o = AP_OVF[parts.pop()!];
        const q = AP_QUANT[parts.pop()!];
        if (!o || !q) throw new Error(`unparsed file name ${file}`);
        const tags = parts.slice(1);
        const target = apFormat(tags[tags.length - 1]!, q, o, n1 ? 1 : 0);
        const A = tags.length === 3 ? apFormat(tags[0]!) : undefined;
        const B = tags.length === 3 ? apFormat(tags[1]!) : undefined;
        const lines = readGzLines(path.join(dir, file));
        const digits = Math.ceil(target.width / 4);
        lines.forEach((line, i) => {
          if (!sampled(i, SAMPLE, fileIndex)) return;
          const f = line.split(' ');
          let x: Q.ORational;
          if (family === 'ap_fixed_q') {
            if (f[0] === 'd') {
              const v = oDecode(fp64, hex(f[1]!));
              if (typeof v === 'string') {
                if (v !== '+0' && v !== '-0') throw new Error(`non-finite double source in ${file}: ${line}`);
                x = Q.ZERO;
              } else x = v;
            } else {
              const v = oFixedValue(AP_SRC32, hex(f[1]!));
              x = Q.rat(v.num, v.den);
            }
          } else {
            const va = oFixedValue(A!, hex(f[0]!));
            const vb = oFixedValue(B!, hex(f[1]!));
            const a = Q.rat(va.num, va.den);
            const b = Q.rat(vb.num, vb.den);
            x = family === 'ap_fixed_add' ? Q.add(a, b) : family === 'ap_fixed_sub' ? Q.sub(a, b) : Q.mul(a, b);
          }
          const got = oFixedFromRational(target, x.num, x.den).raw;
          const want = hex(f[f.length - 1]!);
          if (got === want) all.ok();
          else all.bad(`${file} line ${i + 1}: ${line}  -> oracle ${got.toString(16).padStart(digits, '0')}`);
        });
      });
      record(family, all, files.length);
      expect(all.mismatches, `${family}: ${all.mismatches} mismatches of ${all.checked} lines\n${all.report()}`).to.equal(0);
    });
  }
});
