/**
 * Replays the ap_fixed reference vectors (`../shared/vectors/hls/ap_fixed_*.txt.gz`, produced by the
 * Xilinx ap_fixed headers themselves; format in that folder's README) bit for bit, through both the
 * number path and the exact (BigInt) path of every operation.
 *
 * Tiers: the fast level (default) checks every file, on a deterministic sample of its lines (the
 * leading edge-case lines of each kind, then every 7th line); `BITEXACT_LEVEL=full` checks every line.
 */

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ExactValue } from '../../../src/formats/exact.js';
import { exactFromNumber } from '../../../src/formats/exact.js';
import { fixedFormat, type FixedOverflow, type FixedQuant, type FixedRaw, type FixedSpec } from '../../../src/formats/fixed.js';
import {
  fixedAdd,
  fixedConvert,
  fixedFromExact,
  fixedFromNumber,
  fixedMul,
  fixedQuantizeArray,
  fixedSub,
  fixedToExact,
} from '../../../src/ops/fixed/index.js';

const FULL = process.env.BITEXACT_LEVEL === 'full';
const HERE = dirname(fileURLToPath(import.meta.url));
// dist/test/ops/fixed → the repository root is four levels up; the shared vectors sit beside it.
const DIR = process.env.BITEXACT_VECTORS
  ? join(process.env.BITEXACT_VECTORS, 'hls')
  : resolve(HERE, '../../../../../shared/vectors/hls');

/** Leading lines of each kind that are always checked (the generator writes edge cases first). */
const EDGE_LINES = 60;
/** Leading lines of an operation file always checked (all pairs of the edge operands come first). */
const EDGE_PAIRS = 250;
const STRIDE = 7;

function sampled(i: number, edge: number): boolean {
  return FULL || i < edge || i % STRIDE === 0;
}

/** `W8_I4_s` → spec with the given modes. */
function parseTag(tag: string, quant: FixedQuant, overflow: FixedOverflow, satBits: number): FixedSpec {
  const m = /^W(\d+)_I(-?\d+)_([su])$/.exec(tag);
  if (!m) throw new Error(`bad format tag ${tag}`);
  const width = Number(m[1]);
  return fixedFormat({ width, frac: width - Number(m[2]), signed: m[3] === 's', quant, overflow, satBits });
}

/** The unsigned W-bit pattern of a raw value, as the vectors print it. */
function pattern(spec: FixedSpec, raw: FixedRaw): number {
  const r = Number(raw);
  return r < 0 ? r + 2 ** spec.width : r;
}

/** A raw value from its printed pattern. */
function fromPattern(spec: FixedSpec, hex: string): number {
  const u = parseInt(hex, 16);
  return spec.signed && u >= 2 ** (spec.width - 1) ? u - 2 ** spec.width : u;
}

const view = new DataView(new ArrayBuffer(8));
function doubleFromHex(hex: string): number {
  view.setUint32(0, parseInt(hex.slice(0, 8), 16));
  view.setUint32(4, parseInt(hex.slice(8, 16), 16));
  return view.getFloat64(0);
}

function exactOf(v: bigint, exp: number): ExactValue {
  if (v === 0n) return { kind: 'zero', sign: 0 };
  return { kind: 'finite', sign: v < 0n ? 1 : 0, sig: v < 0n ? -v : v, exp };
}

function readLines(file: string): string[] {
  const lines = gunzipSync(readFileSync(join(DIR, file))).toString('latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Tally {
  lines: number;
  files: number;
  bad: string[];
  badCount: number;
}

function mismatch(t: Tally, file: string, i: number, line: string, what: string): void {
  t.badCount++;
  if (t.bad.length < 12) t.bad.push(`${file}:${i + 1}: "${line}" ${what}`);
}

/** `AP_RND_CONV` / `AP_WRAP` / `N1` fields of a file name. */
function modes(parts: string[]): { quant: FixedQuant; overflow: FixedOverflow; satBits: number } {
  const quant = parts[0]!.replace(/^AP_/, '') as FixedQuant;
  const overflow = parts[1]!.replace(/^AP_/, '') as FixedOverflow;
  const satBits = parts[2] !== undefined && /^N\d+$/.test(parts[2]) ? Number(parts[2].slice(1)) : 0;
  return { quant, overflow, satBits };
}

const SRC32 = fixedFormat({ width: 32, frac: 16, signed: true });

function checkConversionFile(file: string, t: Tally): void {
  // ap_fixed_q.<fmt>.<Q>.<O>[.N1].txt.gz
  const parts = file.split('.');
  const { quant, overflow, satBits } = modes(parts.slice(2));
  const spec = parseTag(parts[1]!, quant, overflow, satBits);
  const lines = readLines(file);
  let nd = 0;
  let nf = 0;
  const dSrc: number[] = [];
  const dWant: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const [kind, src, res] = line.split(' ') as [string, string, string];
    const want = parseInt(res, 16);
    if (kind === 'd') {
      if (!sampled(nd++, EDGE_LINES)) continue;
      const x = doubleFromHex(src);
      const a = pattern(spec, fixedFromNumber(spec, x).raw);
      const b = pattern(spec, fixedFromExact(spec, exactFromNumber(x)).raw);
      if (a !== want || b !== want) mismatch(t, file, i, line, `number path ${a.toString(16)}, exact path ${b.toString(16)}`);
      dSrc.push(x);
      dWant.push(want);
    } else {
      if (!sampled(nf++, EDGE_LINES)) continue;
      const raw = parseInt(src, 16) | 0;
      const a = pattern(spec, fixedConvert(SRC32, raw, spec).raw);
      const b = pattern(spec, fixedFromExact(spec, fixedToExact(SRC32, raw)).raw);
      if (a !== want || b !== want) mismatch(t, file, i, line, `number path ${a.toString(16)}, exact path ${b.toString(16)}`);
    }
    t.lines++;
  }
  // The array kernel on the same binary64 sources.
  const dst = new Float64Array(dSrc.length);
  fixedQuantizeArray(spec, Float64Array.from(dSrc), dst);
  for (let j = 0; j < dSrc.length; j++) {
    const got = pattern(spec, dst[j]!);
    if (got !== dWant[j]) mismatch(t, file, -1, `d ${dSrc[j]}`, `array path ${got.toString(16)}`);
  }
  t.files++;
}

type Op = 'add' | 'sub' | 'mul';
const OPS = {
  add: fixedAdd,
  sub: fixedSub,
  mul: fixedMul,
};

/** The exact result of a op b, as an ExactValue (BigInt arithmetic written here, not in src/). */
function exactOp(op: Op, aSpec: FixedSpec, a: number, bSpec: FixedSpec, b: number): ExactValue {
  if (op === 'mul') return exactOf(BigInt(a) * BigInt(b), -(aSpec.frac + bSpec.frac));
  const L = Math.max(aSpec.frac, bSpec.frac);
  const A = BigInt(a) << BigInt(L - aSpec.frac);
  const B = BigInt(b) << BigInt(L - bSpec.frac);
  return exactOf(op === 'add' ? A + B : A - B, -L);
}

function checkOpFile(op: Op, file: string, t: Tally): void {
  // ap_fixed_<op>.<A>.<B>.<T>.<Q>.<O>[.N1].txt.gz
  const parts = file.split('.');
  const { quant, overflow, satBits } = modes(parts.slice(4));
  const aSpec = parseTag(parts[1]!, 'TRN', 'WRAP', 0);
  const bSpec = parseTag(parts[2]!, 'TRN', 'WRAP', 0);
  const target = parseTag(parts[3]!, quant, overflow, satBits);
  const fn = OPS[op];
  const lines = readLines(file);
  for (let i = 0; i < lines.length; i++) {
    if (!sampled(i, EDGE_PAIRS)) continue;
    const line = lines[i]!;
    const [ha, hb, hr] = line.split(' ') as [string, string, string];
    const a = fromPattern(aSpec, ha);
    const b = fromPattern(bSpec, hb);
    const want = parseInt(hr, 16);
    const got = pattern(target, fn(aSpec, a, bSpec, b, target).raw);
    const exact = pattern(target, fixedFromExact(target, exactOp(op, aSpec, a, bSpec, b)).raw);
    const viaBig = pattern(target, fn(aSpec, BigInt(a), bSpec, BigInt(b), target).raw);
    if (got !== want || exact !== want || viaBig !== want) {
      mismatch(t, file, i, line, `number path ${got.toString(16)}, exact path ${exact.toString(16)}, bigint operands ${viaBig.toString(16)}`);
    }
    t.lines++;
  }
  t.files++;
}

describe(`ap_fixed reference vectors (${FULL ? 'full: every line' : `fast: edge lines and every ${STRIDE}th line`})`, function () {
  const present = existsSync(DIR);
  const files = present ? readdirSync(DIR).filter((f) => f.startsWith('ap_fixed_') && f.endsWith('.txt.gz')).sort() : [];

  const families: [string, string, (file: string, t: Tally) => void][] = [
    ['conversions from binary64 and from ap_fixed<32,16> (ap_fixed_q)', 'ap_fixed_q.', checkConversionFile],
    ['products assigned to the target (ap_fixed_mul)', 'ap_fixed_mul.', (f, t) => checkOpFile('mul', f, t)],
    ['sums assigned to the target (ap_fixed_add)', 'ap_fixed_add.', (f, t) => checkOpFile('add', f, t)],
    ['differences assigned to the target (ap_fixed_sub)', 'ap_fixed_sub.', (f, t) => checkOpFile('sub', f, t)],
  ];

  for (const [title, prefix, check] of families) {
    it(`matches every checked line of the ${title}`, function () {
      if (!present) this.skip();
      const mine = files.filter((f) => f.startsWith(prefix));
      expect(mine.length, `no ${prefix}* files in ${DIR}`).to.be.greaterThan(0);
      const t: Tally = { lines: 0, files: 0, bad: [], badCount: 0 };
      for (const f of mine) check(f, t);
      expect(t.badCount, `${t.badCount} mismatches in ${t.lines} lines of ${t.files} files:\n${t.bad.join('\n')}`).to.equal(0);
    });
  }
});
