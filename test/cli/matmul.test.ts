/**
 * `bitexact eval matmul --mac NAME --m M --k K --n N`, run as a user runs it (child process), checked
 * against a hand-computed case, the library's `unit.dot` per output element (stochastic index
 * L·M·N + i), `eval dot` on the same rows and columns, and the in-process `matmul` path.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { macByName } from '../../src/accum/presets/index.js';
import type { AnySpec, DotUnit } from '../../src/accum/types.js';
import { isTensorUnit, matmulCase } from '../../src/cli/matmul-cmd.js';
import { toHex } from '../../src/vectors/testfloat.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin/bitexact.js');

function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

/** mulberry32: a small seeded PRNG (uniform 32-bit integers). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A random bit pattern of format f (formats up to 32 bits here). */
function randomCode(rnd: () => number, f: AnySpec): number {
  return f.width >= 32 ? rnd() : rnd() % 2 ** f.width;
}

const hexOf = (f: AnySpec, x: number | bigint): string => toHex(x, Math.ceil(f.width / 4));
const statsOf = (s: { macs: number; inexact: number; overflows: number; saturations: number; swamped: number }): string =>
  `macs=${s.macs} inexact=${s.inexact} overflows=${s.overflows} saturations=${s.saturations} swamped=${s.swamped}`;

interface Case {
  c: number[];
  a: number[];
  b: number[];
}

function randomCase(rnd: () => number, u: DotUnit, M: number, K: number, N: number): Case {
  const gen = (f: AnySpec, n: number) => Array.from({ length: n }, () => randomCode(rnd, f));
  return { c: gen(u.c, M * N), a: gen(u.a, M * K), b: gen(u.b, K * N) };
}

function lineOf(u: DotUnit, x: Case): string {
  return [...x.c.map((v) => hexOf(u.c, v)), ...x.a.map((v) => hexOf(u.a, v)), ...x.b.map((v) => hexOf(u.b, v))].join(' ');
}

/** The expected output line of case x at 0-based line L: every element through unit.dot with index L·M·N + i. */
function expectedLine(u: DotUnit, M: number, K: number, N: number, x: Case, L: number): string {
  const codes: string[] = [];
  let flags = 0;
  const st = { macs: 0, inexact: 0, overflows: 0, saturations: 0, swamped: 0 };
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const i = m * N + n;
      const row = Array.from({ length: K }, (_, k) => x.a[m * K + k]!);
      const col = Array.from({ length: K }, (_, k) => x.b[k * N + n]!);
      const r = u.dot(row, col, x.c[i]!, L * M * N + i);
      codes.push(hexOf(u.out, r.code));
      flags |= r.flags;
      st.macs += r.stats.macs;
      st.inexact += r.stats.inexact;
      st.overflows += r.stats.overflows;
      st.saturations += r.stats.saturations;
      st.swamped += r.stats.swamped;
    }
  }
  return `${codes.join(' ')} ${toHex(flags, 2)} ${statsOf(st)}`;
}

describe('bitexact eval matmul', function () {
  it('computes a hand-checked 2×3 · 3×2 product with an addend (e4m3fn products into fp32)', function () {
    // A (e4m3fn)          B (e4m3fn)         C (fp32)
    // [ 1   2   0.5 ]     [ 2    1    ]      [  1    0  ]
    // [-1   3   1.5 ]     [ 0.5 -2    ]      [ -0.5  100 ]
    //                     [ 4    0.25 ]
    // e4m3fn codes: 1 = 38, 2 = 40, 0.5 = 30, -1 = B8, 3 = 44, 1.5 = 3C, -2 = C0, 4 = 48, 0.25 = 28.
    // fp32 codes: 1 = 3F800000, -0.5 = BF000000, 100 = 42C80000.
    // (0,0) = 1·2 + 2·0.5 + 0.5·4 + 1          = 6      = 1.5·2^2       → 40C00000
    // (0,1) = 1·1 + 2·(-2) + 0.5·0.25 + 0      = -2.875 = -1.4375·2^1   → C0380000 (exp 128, frac .4375 = 0x380000)
    // (1,0) = -1·2 + 3·0.5 + 1.5·4 - 0.5       = 5      = 1.25·2^2      → 40A00000
    // (1,1) = -1·1 + 3·(-2) + 1.5·0.25 + 100   = 93.375 = 93.375/64·2^6 → 42BAC000 (exp 133, frac 0x3AC000)
    // All exact in fp32: flags 00, 12 MACs, nothing inexact.
    const input = '3F800000 00000000 BF000000 42C80000 38 40 30 B8 44 3C 40 38 30 C0 48 28\n';
    const r = run(['eval', 'matmul', '--mac', 'ab=e4m3fn,acc=fp32', '--m', '2', '--k', '3', '--n', '2'], input);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal('40C00000 C0380000 40A00000 42BAC000 00 macs=12 inexact=0 overflows=0 saturations=0 swamped=0');
  });

  it('runs an x86 integer preset (not tensor formats: per-element unit.dot), K taken from the preset', function () {
    // VPDPWSSD, A = [[1, 2], [-1, 3]] (i16), B = [[5], [-7]] (i16), C = [[10], [0x7FFFFFF0]] (i32):
    // (0,0) = 1·5 + 2·(-7) + 10 = 1 → 00000001; (1,0) = -5 - 21 + 0x7FFFFFF0 = 0x7FFFFFD6 (no wrap).
    const input = '0000000A 7FFFFFF0 0001 0002 FFFF 0003 0005 FFF9\n';
    const r = run(['eval', 'matmul', '--mac', 'x86-vpdpwssd', '--m', '2', '--n', '1'], input);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal('00000001 7FFFFFD6 00 macs=4 inexact=0 overflows=0 saturations=0 swamped=0');
  });

  it('agrees with unit.dot (index L·M·N + i) and with eval dot on random codes, several units', function () {
    const rnd = prng(20240611);
    const units: [string, number, number, number][] = [
      ['bf16-fp32', 2, 5, 3],
      ['wang2018-fp8-chunk64', 3, 70, 2], // K > 64: two chunks
      ['gupta2015-fixed16-sr', 2, 4, 3], // stochastic rounding, fixed point
      ['ab=e4m3fn,acc=fp16:sr,sr-bits=4', 3, 3, 2], // stochastic rounding, float
      ['nvidia-a100-fp16-fp32', 2, 9, 2], // fused adder, no fast plan
      ['x86-vpdpbusds', 2, 4, 2], // integer formats
      ['x86-vdpbf16ps', 1, 2, 4], // K fixed at 2
    ];
    for (const [mac, M, K, N] of units) {
      const u = macByName(mac);
      const cases = [0, 1, 2, 3].map(() => randomCase(rnd, u, M, K, N));
      // Line 2 is a comment: the cases are lines 0, 1, 3 and 4.
      const lines = [lineOf(u, cases[0]!), lineOf(u, cases[1]!), '# skipped', lineOf(u, cases[2]!), lineOf(u, cases[3]!)];
      const Ls = [0, 1, 3, 4];
      const r = run(['eval', 'matmul', '--mac', mac, '--m', String(M), '--k', String(K), '--n', String(N)], lines.join('\n') + '\n');
      expect(r.status, `${mac}: ${r.stderr}`).to.equal(0);
      const got = r.stdout.split('\n');
      expect(got, mac).to.deep.equal(cases.map((x, j) => expectedLine(u, M, K, N, x, Ls[j]!)));

      // eval dot on every row × column, placed on line L·M·N + i so that its index is the matmul element's.
      const dotLines: string[] = [];
      cases.forEach((x, j) => {
        const L = Ls[j]!;
        while (dotLines.length < L * M * N) dotLines.push('');
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) {
            const row = Array.from({ length: K }, (_, k) => hexOf(u.a, x.a[m * K + k]!));
            const col = Array.from({ length: K }, (_, k) => hexOf(u.b, x.b[k * N + n]!));
            dotLines.push([hexOf(u.c, x.c[m * N + n]!), ...row, ...col].join(' '));
          }
        }
      });
      const d = run(['eval', 'dot', '--mac', mac, '--k', String(K)], dotLines.join('\n') + '\n');
      expect(d.status, `${mac} (dot): ${d.stderr}`).to.equal(0);
      const dotOut = d.stdout.split('\n');
      expect(dotOut).to.have.length(cases.length * M * N);
      got.forEach((line, j) => {
        const elems = dotOut.slice(j * M * N, (j + 1) * M * N).map((l) => l.split(' '));
        const codes = elems.map((e) => e[0]!);
        const flags = elems.reduce((f, e) => f | parseInt(e[1]!, 16), 0);
        const sum = (key: string) => elems.reduce((s, e) => s + Number(e.find((t) => t.startsWith(key + '='))!.slice(key.length + 1)), 0);
        const stats = `macs=${sum('macs')} inexact=${sum('inexact')} overflows=${sum('overflows')} saturations=${sum('saturations')} swamped=${sum('swamped')}`;
        expect(line, `${mac} case ${j}`).to.equal(`${codes.join(' ')} ${toHex(flags, 2)} ${stats}`);
      });
    }
  });

  it('gives the same bits through matmul and through per-element unit.dot for tensor-format units', function () {
    const rnd = prng(7);
    const macs = ['bf16-fp32', 'wang2018-fp8-chunk64', 'gupta2015-fixed16-sr', 'ab=e4m3fn,acc=fp16:sr,sr-bits=4', 'nvidia-h100-e4m3-fp32-wgmma', 'sakr2019-acc-m8-chunk64', 'ab=s8.4,acc=s16.8:sr:SAT'];
    for (const mac of macs) {
      const u = macByName(mac);
      expect(isTensorUnit(u), mac).to.equal(true);
      for (let t = 0; t < 20; t++) {
        const [M, K, N] = [1 + (rnd() % 4), 1 + (rnd() % 80), 1 + (rnd() % 4)];
        const x = randomCase(rnd, u, M, K, N);
        const base = rnd() % 1000;
        const viaMatmul = matmulCase(u, { M, K, N }, x.c, x.a, x.b, base, 'matmul');
        const viaDot = matmulCase(u, { M, K, N }, x.c, x.a, x.b, base, 'dot');
        expect(viaMatmul, `${mac} ${M}×${K}×${N}`).to.deep.equal(viaDot);
      }
    }
    expect(isTensorUnit(macByName('x86-vpdpbusd'))).to.equal(false);
    expect(isTensorUnit(macByName('ab=e4m3fn,acc=fp64'))).to.equal(false);
  });

  it('gives the second case of an input the stochastic indices L·M·N + i (stochastic rounding)', function () {
    const mac = 'gupta2015-fixed16-sr';
    const u = macByName(mac);
    const [M, K, N] = [2, 2, 2];
    // s16.12 products have 24 fraction bits; their exact sum is rounded once to 12, stochastically.
    const x: Case = { c: [0, 0, 0, 0], a: [0x1001, 0x0803, 0x0c05, 0x1407], b: [0x1009, 0x0c0b, 0x080d, 0x100f] };
    const line = lineOf(u, x);
    const r = run(['eval', 'matmul', '--mac', mac, '--m', '2', '--k', '2', '--n', '2'], `${line}\n${line}\n\n${line}\n`);
    expect(r.status).to.equal(0);
    const got = r.stdout.split('\n');
    const want = [0, 1, 3].map((L) => expectedLine(u, M, K, N, x, L));
    expect(got).to.deep.equal(want);
    // The check can fail: the same products at other indices round differently.
    expect(new Set(want).size).to.equal(3);
  });

  it('reports malformed lines with their numbers, processes the others, exits 1', function () {
    const good = '3F800000 00000000 38 40 3C 40 38 40'; // M=1, K=2, N=2: [1 2]·[[1.5 2] [1 2]] + [1 0] = [4.5 6]
    const input = [
      '3F800000 00000000 38 40 3C 40 38', // 7 fields
      good,
      '3F800000 00000000 38 4G 3C 40 38 40', // not hex
      '',
      '3F800000 00000000 38 40 3C 140 38 40', // 9 bits for an 8-bit b
      good,
    ].join('\n');
    const r = run(['eval', 'matmul', '--mac', 'ab=e4m3fn,acc=fp32', '--m', '1', '--k', '2', '--n', '2'], input + '\n');
    expect(r.status).to.equal(1);
    const err = r.stderr.trim().split('\n');
    expect(err).to.have.length(3);
    expect(err[0]).to.match(/^line 1: expected 8 fields \(2 c, 2 a, 4 b\), got 7/);
    expect(err[1]).to.match(/^line 3: a_\{0,1\}: "4G" is not hex/);
    expect(err[2]).to.match(/^line 5: b_\{0,1\}: 140 does not fit the 8-bit format e4m3fn/);
    expect(r.stdout.split('\n')).to.deep.equal([
      '40900000 40C00000 00 macs=4 inexact=0 overflows=0 saturations=0 swamped=0',
      '40900000 40C00000 00 macs=4 inexact=0 overflows=0 saturations=0 swamped=0',
    ]);
  });

  it('rejects missing or bad options with exit 2, naming the option and the allowed range', function () {
    const cases: [string[], RegExp][] = [
      [['--m', '1', '--k', '2', '--n', '1'], /--mac NAME is required/],
      [['--mac', 'nope', '--m', '1', '--k', '2', '--n', '1'], /unknown preset "nope"; known: x86-vdpbf16ps/],
      [['--mac', 'bf16-fp32', '--k', '2', '--n', '1'], /eval matmul: --m M is required: an integer >= 1/],
      [['--mac', 'bf16-fp32', '--m', '1', '--k', '2'], /eval matmul: --n N is required: an integer >= 1/],
      [['--mac', 'bf16-fp32', '--m', '1', '--n', '1'], /eval matmul: --k K is required: an integer >= 1/],
      [['--mac', 'bf16-fp32', '--m', '0', '--k', '2', '--n', '1'], /eval matmul: --m must be an integer >= 1, got "0"/],
      [['--mac', 'bf16-fp32', '--m', '1', '--k', '2', '--n', 'x'], /eval matmul: --n must be an integer >= 1, got "x"/],
      [['--mac', 'bf16-fp32', '--m', '2.5', '--k', '2', '--n', '1'], /eval matmul: --m must be an integer >= 1, got "2.5"/],
      [['--mac', 'bf16-fp32', '--m', '1', '--k', '-1', '--n', '1'], /eval matmul: --k must be an integer >= 1/],
      [['--mac', 'x86-vpdpbusd', '--m', '1', '--k', '3', '--n', '1'], /eval matmul: x86-vpdpbusd takes K = 4 products per lane, got --k 3/],
    ];
    for (const [args, msg] of cases) {
      const r = run(['eval', 'matmul', ...args], '');
      expect(r.status, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(msg);
    }
  });

  it('is listed in the help of eval', function () {
    const r = run(['eval', '--help']);
    expect(r.stdout).to.match(/--m <M>/);
    expect(r.stdout).to.match(/eval matmul --mac/);
  });
});
