/**
 * `bitexact showcase` (what `npm start` runs): a short tour of real computations, printed plainly.
 * Everything shown is computed here by the library.
 */
import type { Command } from 'commander';
import { CATALOG, catalog } from '../formats/catalog.js';
import { parseFixedFormat } from '../formats/fixed.js';
import { parseFormat } from '../formats/parse.js';
import { add, decode, encode, fma, mul, sub } from '../ops/float/index.js';
import { fixedFromNumber, fixedToNumber } from '../ops/fixed/index.js';
import { context, type RoundingMode } from '../round/modes.js';
import { describeFloatCode, toHex } from '../vectors/testfloat.js';
import { alignedTable } from './cards.js';
import { tableText } from './formats-cmd.js';

/** Flags in one letter each: x inexact, u underflow, o overflow, z divide-by-zero, v invalid. */
export function flagLetters(flags: number): string {
  const l = [[16, 'v'], [8, 'z'], [4, 'o'], [2, 'u'], [1, 'x']] as const;
  const s = l.filter(([b]) => (flags & b) !== 0).map(([, c]) => c).join('');
  return s === '' ? '-' : s;
}

/** A number as JavaScript prints it, but -0 as `-0`. */
function numText(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function fp16(code: number): string {
  const d = describeFloatCode(catalog.fp16, code);
  return `${d.hex} (${d.value})`;
}

/** The text of the showcase. */
export function showcaseText(): string {
  const out: string[] = [];
  const h = (t: string): void => {
    out.push('', t, '-'.repeat(t.length));
  };
  out.push('bitexact: bit-accurate low-precision arithmetic. A short tour; every number below is computed now.');
  out.push('Flags: x inexact, u underflow, o overflow, z divide-by-zero, v invalid, - none.');

  // 1. An encoding table.
  h('1. Every encoding of e2m1fn (OCP MX FP4): `bitexact table e2m1fn`');
  out.push(tableText(parseFormat('e2m1fn')));

  // 2. A few values in every catalog format under several modes.
  const modes: RoundingMode[] = ['rne', 'rtz', 'rup', 'rdn'];
  for (const [k, x] of [0.1, 300, -1e-5].entries()) {
    h(`2${'abc'[k]}. ${x} rounded into every catalog format (value and flags per rounding mode)`);
    const rows = CATALOG.map((e) => [
      e.spec.name,
      ...modes.map((m) => {
        const r = encode(e.spec, x, context({ rounding: m }));
        return `${numText(decode(e.spec, r.code))} ${flagLetters(r.flags)}`;
      }),
    ]);
    out.push(alignedTable(['format', ...modes], rows));
  }

  // 3. Stochastic rounding.
  h('3. Stochastic rounding of 0.1 into e4m3fn (8 random bits, seed 42), elements 0..9999');
  const sr = context({ rounding: 'sr', srBits: 8, seed: 42 });
  const counts = new Map<number, number>();
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    const v = decode(catalog.e4m3fn, encode(catalog.e4m3fn, 0.1, sr, i).code);
    counts.set(v, (counts.get(v) ?? 0) + 1);
    sum += v;
  }
  for (const [v, n] of [...counts].sort((a, b) => a[0] - b[0])) out.push(`  ${numText(v)}: ${n} times`);
  out.push(`  mean ${(sum / 10000).toFixed(6)} (0.1 itself is not representable; rne gives ${decode(catalog.e4m3fn, encode(catalog.e4m3fn, 0.1).code)} every time)`);

  // 4. fp16 fused multiply-add versus multiply then add.
  h('4. fp16: fused multiply-add versus multiply, then add');
  const s = catalog.fp16;
  const a = 0x3c01;
  const c = 0xbc02;
  const f = fma(s, a, a, c);
  const p = mul(s, a, a);
  const q = add(s, p.code as number, c);
  out.push(`  a = b = ${fp16(a)}, c = ${fp16(c)}`);
  out.push(`  fma(a, b, c)      = ${fp16(f.code as number)}  flags ${flagLetters(f.flags)}   (a·b + c = 2^-20 exactly, a subnormal)`);
  out.push(`  mul(a, b)         = ${fp16(p.code as number)}  flags ${flagLetters(p.flags)}   (the 2^-20 term is rounded away)`);
  out.push(`  add(mul(a, b), c) = ${fp16(q.code as number)}  flags ${flagLetters(q.flags)}`);
  const u = fma(s, 0x0401, 0x3400, 0x0000);
  out.push(`  fma(${fp16(0x0401)}, ${fp16(0x3400)}, +0) = ${fp16(u.code as number)}  flags ${flagLetters(u.flags)}   (tiny and inexact: underflow)`);
  const big = sub(s, 0xfbff, 0x7bff, context({ rounding: 'rtz' }));
  out.push(`  -65504 - 65504 under rtz = ${fp16(big.code as number)}  flags ${flagLetters(big.flags)}   (overflow toward zero stops at -max)`);

  // 5. ap_fixed quantisation and overflow.
  h('5. ap_fixed: quantisation and overflow modes');
  const rows: string[][] = [];
  for (const [name, x] of [
    ['ap_fixed<8,3>', Math.E],
    ['ap_fixed<8,3,AP_RND>', Math.E],
    ['ap_fixed<8,3,AP_RND_CONV>', 2.734375],
    ['ap_fixed<8,3,AP_RND,AP_SAT>', 9.3],
    ['ap_fixed<8,3,AP_RND,AP_WRAP>', 9.3],
    ['ap_fixed<8,3,AP_RND,AP_SAT_SYM>', -9.3],
  ] as const) {
    const spec = parseFixedFormat(name);
    const r = fixedFromNumber(spec, x);
    const pattern = Number(r.raw) < 0 ? Number(r.raw) + 2 ** spec.width : Number(r.raw);
    rows.push([name, String(x), toHex(pattern, 2), numText(fixedToNumber(spec, r.raw)), flagLetters(r.flags)]);
  }
  out.push(alignedTable(['format', 'x', 'code', 'value', 'flags'], rows));
  out.push('');
  out.push('More: bitexact formats | bitexact table e4m3fn | bitexact eval --help | bitexact testfloat-gen --help');
  return out.join('\n');
}

/** Registers `showcase`. */
export function registerShowcase(program: Command): void {
  program
    .command('showcase')
    .summary('a short tour: an encoding table, roundings in every format, fma, ap_fixed')
    .action(() => {
      process.stdout.write(showcaseText() + '\n');
    });
}
