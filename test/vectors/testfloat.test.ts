/**
 * Berkeley TestFloat's reference vectors (`../shared/vectors/testfloat/*.txt.gz`, SoftFloat 3e 8086-SSE)
 * replayed through `src/vectors/testfloat.ts`, results and flags bit for bit; plus the module's own
 * units (function names, line parsing, decoding, the generator).
 *
 * Tiers: the fast level (default) checks every file on a deterministic sample, every 4th line
 * (lines 1, 5, 9, ...); `BITEXACT_LEVEL=full` checks every line.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { catalog } from '../../src/formats/catalog.js';
import { context, type RoundingMode, type Tininess } from '../../src/round/modes.js';
import {
  TestFloatChecker,
  describeFloatCode,
  evaluate,
  floatOperandSet,
  formatCase,
  formatExactValue,
  generateCases,
  intOperandSet,
  parseLine,
  parseTestFloatFunction,
  parseTestFloatHeader,
  systematicCount,
  testFloatHeader,
} from '../../src/vectors/testfloat.js';
import { intFormat } from '../../src/formats/parse.js';

const FULL = process.env.BITEXACT_LEVEL === 'full';
const STRIDE = 4;
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..'); // dist/test/vectors → repository root

/** $BITEXACT_VECTORS/testfloat, else ../shared/vectors/testfloat beside the repository, else /work/shared. */
function vectorDir(): string | undefined {
  const candidates = [
    process.env.BITEXACT_VECTORS && join(process.env.BITEXACT_VECTORS, 'testfloat'),
    resolve(ROOT, '../shared/vectors/testfloat'),
    '/work/shared/vectors/testfloat',
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** `f16_to_i32.rne.exact.txt.gz` → function and settings. */
function fileSettings(file: string): { fn: string; rounding: RoundingMode; tininess: Tininess; exact: boolean } {
  const parts = file.replace(/\.txt\.gz$/, '').split('.');
  const [fn, rounding, variant] = parts as [string, string | undefined, string | undefined];
  const modes: Record<string, RoundingMode> = { rne: 'rne', rtz: 'rtz', rdn: 'rdn', rup: 'rup', rna: 'rna' };
  if (rounding !== undefined && !(rounding in modes)) throw new Error(`${file}: unknown rounding part ${rounding}`);
  if (variant !== undefined && !['after', 'before', 'exact', 'notexact'].includes(variant)) {
    throw new Error(`${file}: unknown variant part ${variant}`);
  }
  return {
    fn,
    rounding: rounding ? modes[rounding]! : 'rne',
    tininess: variant === 'before' ? 'before' : 'after',
    exact: variant === 'exact',
  };
}

describe('TestFloat reference vectors (SoftFloat 3e, 8086-SSE), through src/vectors/testfloat.ts', function () {
  const dir = vectorDir();
  const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.txt.gz')).sort() : [];

  it(`finds the vector files (${files.length} in ${dir ?? 'no folder'})`, function () {
    expect(dir, 'the shared TestFloat vectors folder (set BITEXACT_VECTORS to its parent)').to.be.a('string');
    expect(files.length).to.be.greaterThan(0);
  });

  for (const file of files) {
    it(`${file}: every ${FULL ? '' : `${STRIDE}th `}line matches, result and flags bit for bit`, function () {
      const s = fileSettings(file);
      const fn = parseTestFloatFunction(s.fn);
      const checker = new TestFloatChecker(fn, s);
      const text = gunzipSync(readFileSync(join(dir!, file))).toString('latin1');
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const reports: string[] = [];
      let bad = 0;
      for (let i = 0; i < lines.length; i++) {
        if (!FULL && i % STRIDE !== 0) continue;
        const r = checker.check(lines[i]!, i + 1);
        if (r.status === 'fail' || r.status === 'malformed') {
          bad++;
          if (reports.length < 8) reports.push(r.report);
        }
      }
      expect(checker.passed, 'lines checked').to.be.greaterThan(0);
      expect(bad, `${file}: ${checker.summary()}\n${reports.join('\n')}`).to.equal(0);
    });
  }
});

describe('src/vectors/testfloat.ts', function () {
  describe('function names', function () {
    it('resolves TestFloat names to operands, result and options', function () {
      const f = parseTestFloatFunction('f16_mulAdd');
      expect(f.op).to.equal('mulAdd');
      expect(f.operands.map((t) => (t.kind === 'float' ? t.spec : t))).to.deep.equal([catalog.fp16, catalog.fp16, catalog.fp16]);
      const c = parseTestFloatFunction('f16_to_ui32');
      expect(c.result).to.deep.equal(intFormat(32, false));
      expect(c.exactOption).to.equal(true);
      expect(parseTestFloatFunction('i32_to_f16').operands[0]).to.deep.equal(intFormat(32, true));
      expect(parseTestFloatFunction('f16_eq').result).to.equal('bool');
      expect(parseTestFloatFunction('f16_eq_signaling').op).to.equal('eq_signaling');
      expect(parseTestFloatFunction('bf16_add').name).to.equal('bf16_add');
      expect(parseTestFloatFunction('f64_sqrt').name).to.equal('f64_sqrt');
      expect(parseTestFloatFunction('f16_to_i32_r_minMag').forcedRounding).to.equal('rtz');
    });

    it('accepts any of our float formats as the type, and a bare op with a default format', function () {
      expect(parseTestFloatFunction('e4m3fn_add').name).to.equal('e4m3fn_add');
      expect(parseTestFloatFunction('ibm_fp16_169_mul').name).to.equal('ibm_fp16_169_mul');
      expect(parseTestFloatFunction('e5m2_to_f16').name).to.equal('e5m2_to_f16');
      expect(parseTestFloatFunction('fma', catalog.e2m1fn).name).to.equal('e2m1fn_mulAdd');
      expect(parseTestFloatFunction('float16_add').name).to.equal('f16_add');
    });

    it('rejects unknown names with the accepted forms, and a bare op without a format', function () {
      expect(() => parseTestFloatFunction('f16_frobnicate')).to.throw(RangeError, /unknown; accepted: <type>_<op>/);
      expect(() => parseTestFloatFunction('f17_add')).to.throw(RangeError, /f17/);
      expect(() => parseTestFloatFunction('add')).to.throw(RangeError, /needs a format/);
      expect(() => parseTestFloatFunction('i32_to_i64')).to.throw(RangeError, /integer to integer/);
      expect(() => parseTestFloatFunction('ap_fixed<8,3>_add')).to.throw(RangeError, /fixed-point/);
    });
  });

  describe('lines', function () {
    const add = parseTestFloatFunction('f16_add');
    it('reads a line into operands, result and flags', function () {
      expect(parseLine(add, '3C00 3C00 4000 00')).to.deep.equal({ kind: 'case', case: { operands: [0x3c00, 0x3c00], result: 0x4000, flags: 0 } });
      expect(parseLine(add, '   ')).to.deep.equal({ kind: 'skip' });
      expect(parseLine(add, '# a comment')).to.deep.equal({ kind: 'skip' });
    });
    it('names what is wrong in a malformed line', function () {
      const msg = (l: string): string => {
        const p = parseLine(add, l);
        return p.kind === 'error' ? p.message : '';
      };
      expect(msg('3C00 4000 00')).to.match(/expected 4 fields \(A B Z FL\)/);
      expect(msg('3C00 XYZ 4000 00')).to.match(/operand B: "XYZ" is not hexadecimal/);
      expect(msg('3C00 13C00 4000 00')).to.match(/does not fit in 16 bits/);
      expect(msg('3C00 3C00 4000 20')).to.match(/flags: expected two hex digits 00..1F/);
      const eq = parseTestFloatFunction('f16_eq');
      const p = parseLine(eq, '3C00 3C00 2 00');
      expect(p.kind === 'error' && p.message).to.match(/result: expected 0 or 1/);
    });
    it('writes lines as TestFloat does: upper case, fixed width', function () {
      expect(formatCase(add, { operands: [0x3c00, 0x1], result: 0x3c00, flags: 1 })).to.equal('3C00 0001 3C00 01');
      const f64 = parseTestFloatFunction('f64_to_i32');
      expect(formatCase(f64, { operands: [0x3ff0000000000000n], result: 1n, flags: 0 })).to.equal('3FF0000000000000 00000001 00');
      expect(formatCase(parseTestFloatFunction('f16_lt'), { operands: [0, 0x3c00], result: 1, flags: 0 })).to.equal('0000 3C00 1 00');
    });
    it('counts passes, failures and malformed lines, and never stops silently', function () {
      const ck = new TestFloatChecker(add, { rounding: 'rne' });
      expect(ck.check('3C00 3C00 4000 00', 1).status).to.equal('pass');
      const bad = ck.check('3C00 0001 3C01 00', 2);
      expect(bad.status).to.equal('fail');
      expect(bad.status === 'fail' && bad.report).to.include('line 2: f16_add').and.include('0 01111 0000000001').and.include('extra inexact');
      expect(ck.check('nonsense', 3).status).to.equal('malformed');
      expect(ck.check('3C00 3C00 4000 00', 4).status).to.equal('pass');
      expect(ck.summary()).to.equal('2 passed, 2 failed');
    });
  });

  describe('decoding for humans', function () {
    it('gives fields, exact value and class', function () {
      expect(describeFloatCode(catalog.fp16, 0x0001)).to.deep.equal({
        hex: '0001',
        fields: '0 00000 0000000001',
        value: '5.9604644775390625e-8',
        cls: 'subnormal',
      });
      expect(describeFloatCode(catalog.fp16, 0xfe00).cls).to.equal('qNaN');
      expect(describeFloatCode(catalog.fp16, 0x7c01).cls).to.equal('sNaN');
      expect(describeFloatCode(catalog.e4m3fn, 0x7e).value).to.equal('448');
      expect(describeFloatCode(catalog.e4m3fn, 0xff).cls).to.equal('NaN');
      expect(describeFloatCode(catalog.e8m0fnu, 0x00).value).to.equal('2^-127');
      expect(describeFloatCode(catalog.e2m1fn, 0x8).value).to.equal('-0');
    });
    it('prints exact decimals, and marks a rounded display with ~', function () {
      expect(formatExactValue({ kind: 'finite', sign: 1, sig: 3n, exp: -1 })).to.equal('-1.5');
      expect(formatExactValue({ kind: 'finite', sign: 0, sig: 1n, exp: -20 })).to.equal('9.5367431640625e-7');
      expect(formatExactValue({ kind: 'finite', sign: 0, sig: 0xfffn, exp: 4 })).to.equal('65520');
      expect(formatExactValue({ kind: 'finite', sign: 0, sig: (1n << 53n) - 1n, exp: 971 })).to.equal('~1.7976931348623157e+308');
      expect(formatExactValue({ kind: 'inf', sign: 1 })).to.equal('-inf');
    });
  });

  describe('generator', function () {
    it('is deterministic for a seed and differs between seeds', function () {
      const fn = parseTestFloatFunction('f16_mul');
      const run = (seed: number): string[] => [...generateCases(fn, { seed, count: 3000 })].map((c) => formatCase(fn, c));
      expect(run(5)).to.deep.equal(run(5));
      expect(run(5)).to.not.deep.equal(run(6));
    });
    it('covers the corners: ±0, ±inf, NaNs, ±max, min normal, min subnormal, ±1', function () {
      const set = new Set(floatOperandSet(catalog.fp16, 1, 0));
      for (const c of [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0x7bff, 0xfbff, 0x0400, 0x0001, 0x8001, 0x3c00, 0xbc00]) {
        expect(set.has(c), `code ${c.toString(16)}`).to.equal(true);
      }
      const e4 = new Set(floatOperandSet(catalog.e4m3fn, 1, 0));
      for (const c of [0x00, 0x80, 0x7f, 0xff, 0x7e, 0xfe, 0x08, 0x01]) expect(e4.has(c), `e4m3fn ${c.toString(16)}`).to.equal(true);
      const ints = new Set(intOperandSet(intFormat(32, true), 1, 0));
      for (const v of [0n, 1n, 0xffffffffn, 0x80000000n, 0x7fffffffn]) expect(ints.has(v)).to.equal(true);
    });
    it('sizes the sweeps by level (exhaustive where the space is small)', function () {
      expect(systematicCount(parseTestFloatFunction('e2m1fn_add'), 1)).to.equal(256);
      expect(systematicCount(parseTestFloatFunction('e4m3fn_add'), 2)).to.equal(65536);
      expect(systematicCount(parseTestFloatFunction('f16_sqrt'), 2)).to.equal(65536);
      expect(systematicCount(parseTestFloatFunction('f16_add'), 1)).to.be.within(2000, 20000);
      expect(systematicCount(parseTestFloatFunction('f16_add'), 2)).to.be.greaterThan(systematicCount(parseTestFloatFunction('f16_add'), 1));
    });
    it('samples evenly below the sweep and appends seeded random cases above it', function () {
      const fn = parseTestFloatFunction('f16_add');
      const n = systematicCount(fn, 1);
      const all = [...generateCases(fn, {})].map((c) => formatCase(fn, c));
      expect(all.length).to.equal(n);
      const some = [...generateCases(fn, { count: 40 })].map((c) => formatCase(fn, c));
      expect(some[0]).to.equal(all[0]);
      const at = some.map((l) => all.indexOf(l));
      expect(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!)), 'a subset, in sweep order').to.equal(true);
      expect(new Set(some.map((l) => l.split(' ')[1])).size, 'second operands vary').to.be.greaterThan(20);
      const more = [...generateCases(fn, { count: n + 50 })].map((c) => formatCase(fn, c));
      expect(more.slice(0, n)).to.deep.equal(all);
      expect(more).to.have.length(n + 50);
    });
    it('writes cases that its own checker passes, for a non-IEEE format and stochastic rounding', function () {
      for (const name of ['e4m3fn_mulAdd', 'e5m2fnuz_div', 'e2m1fn_sqrt', 'f32_to_e4m3fn', 'i32_to_bf16', 'bf16_to_ui32']) {
        const fn = parseTestFloatFunction(name);
        const opts = { rounding: 'sr' as const, srBits: 4, seed: 9, count: 500, exact: true };
        const ck = new TestFloatChecker(fn, opts);
        let n = 0;
        for (const c of generateCases(fn, opts)) ck.check(formatCase(fn, c), ++n);
        expect(ck.summary(), name).to.equal('500 passed, 0 failed');
      }
    });
    it('agrees with the reference file on the README example', function () {
      const fn = parseTestFloatFunction('f16_mulAdd');
      expect(evaluate(fn, [0xcba0, 0xe1fe, 0xcbcd], context())).to.deep.equal({ result: 0x71b4, flags: 1 });
    });
    it('writes and reads its header line', function () {
      const fn = parseTestFloatFunction('f16_to_i32');
      const h = testFloatHeader(fn, { rounding: 'rdn', exact: true, count: 7, seed: 3, level: 2 });
      expect(h).to.equal('# bitexact testfloat-gen v2 function=f16_to_i32 operands=fp16 result=i32 rounding=rdn exact=yes level=2 seed=3 count=7');
      expect(parseTestFloatHeader(h)).to.include({ function: 'f16_to_i32', rounding: 'rdn', exact: 'yes', seed: '3' });
      expect(parseTestFloatHeader('# something else')).to.equal(undefined);
    });
  });
});
