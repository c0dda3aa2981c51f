/**
 * The `bitexact` command line, run as a user runs it: `node bin/bitexact.js ...` in a child process,
 * with stdin, stdout, stderr and the exit status checked (0 success, 1 failed check or malformed line,
 * 2 usage error).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { catalog } from '../../src/formats/catalog.js';
import { add } from '../../src/ops/float/index.js';
import { context } from '../../src/round/modes.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..'); // dist/test/cli → repository root
const BIN = join(ROOT, 'bin/bitexact.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

function run(args: string[], input = ''): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = r.stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}

function evalLines(args: string[], input: string[]): string[] {
  const r = run(['eval', ...args], input.join('\n') + '\n');
  expect(r.stderr, 'stderr').to.equal('');
  expect(r.status, 'exit status').to.equal(0);
  return r.lines;
}

describe('bitexact CLI', function () {
  this.timeout(60000);

  describe('formats and table', function () {
    it('formats: a card per catalog format, with fields, bias, max, min normal and min subnormal', function () {
      const r = run(['formats']);
      expect(r.status).to.equal(0);
      for (const n of ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'ibm_fp16_169', 'e4m3fn', 'e5m2', 'e4m3fnuz', 'e2m1fn', 'e8m0fnu', 'hfp8_fwd', 'hfp8_bwd']) {
        expect(r.lines, n).to.include(n);
      }
      const fp16 = r.stdout.slice(r.stdout.indexOf('\nfp16\n'), r.stdout.indexOf('\nbf16\n'));
      expect(fp16).to.include('sign 1 | exponent 5 | fraction 10 (16 bits)');
      expect(fp16).to.include('bias           15 (emin -14, emax 15)');
      expect(fp16).to.include('max            65504 (7BFF) = 0x1.ffcp+15');
      expect(fp16).to.include('min normal     0.00006103515625 = 2^-14 (0400)');
      expect(fp16).to.include('min subnormal  5.9604644775390625e-8 = 2^-24 (0001)');
      const e4 = r.stdout.slice(r.stdout.indexOf('\ne4m3fn\n'), r.stdout.indexOf('\ne5m2\n'));
      expect(e4).to.include('max            448 (7E)');
      expect(e4).to.include('NaN = 7F/FF');
    });

    it('table e2m1fn: all 16 codes with fields, value and class', function () {
      const r = run(['table', 'e2m1fn']);
      expect(r.status).to.equal(0);
      expect(r.lines[2]).to.match(/^code\s+s ee m\s+value\s+class$/);
      const rows = r.lines.slice(3);
      expect(rows).to.have.length(16);
      expect(rows[1]).to.match(/^1\s+0 00 1\s+0\.5\s+subnormal$/);
      expect(rows[7]).to.match(/^7\s+0 11 1\s+6\s+normal$/);
      expect(rows[8]).to.match(/^8\s+1 00 0\s+-0\s+zero$/);
    });

    it('table e4m3fn: 256 codes, 448 at 7E and NaN at 7F and FF', function () {
      const r = run(['table', 'float8_e4m3fn']);
      expect(r.status).to.equal(0);
      const rows = r.lines.slice(3);
      expect(rows).to.have.length(256);
      expect(rows[0x7e]).to.match(/^7E\s+0 1111 110\s+448\s+normal$/);
      expect(rows[0x7f]).to.match(/^7F\s+0 1111 111\s+NaN\s+NaN$/);
      expect(rows[0xff]).to.match(/^FF\s+1 1111 111\s+-NaN\s+NaN$/);
    });

    it('table of a fixed-point format, and --markdown', function () {
      const r = run(['table', 'ap_fixed<4,2>', '--markdown']);
      expect(r.status).to.equal(0);
      expect(r.lines).to.include('| 7 | 0111 | 1.75 (raw 7) | max |');
      expect(r.lines).to.include('| 8 | 1000 | -2 (raw -8) | min |');
    });

    it('table refuses a format wider than 8 bits, with exit status 2', function () {
      const r = run(['table', 'fp16']);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.include('fp16 has 16 bits; tables are printed for formats of at most 8 bits');
    });
  });

  describe('eval', function () {
    it('add, sub, mul, div in fp16 with flags', function () {
      expect(evalLines(['add', '--format', 'fp16'], ['3C00 3C01', '7BFF 7BFF', '0001 8001'])).to.deep.equal(['4000 01', '7C00 05', '0000 00']);
      expect(evalLines(['sub', '--format', 'f16', '--rounding', 'rdn'], ['3C00 3C00'])).to.deep.equal(['8000 00']);
      expect(evalLines(['mul', '--format', 'half'], ['0400 0400', '7C00 0000'])).to.deep.equal(['0000 03', 'FE00 10']);
      expect(evalLines(['div', '--format', 'fp16'], ['3C00 0000', '3C00 4200'])).to.deep.equal(['7C00 08', '3555 01']);
    });

    it('fma in fp16 (the README example of f16_mulAdd) and sqrt', function () {
      expect(evalLines(['fma', '--format', 'fp16'], ['BEF8 0890 0000', 'CBA0 E1FE CBCD'])).to.deep.equal(['8BF3 01', '71B4 01']);
      expect(evalLines(['mulAdd', '--format', 'fp16'], ['0000 7C00 7E00'])).to.deep.equal(['FE00 10']);
      expect(evalLines(['sqrt', '--format', 'fp16'], ['4400', 'BC00', '8000'])).to.deep.equal(['4000 00', 'FE00 10', '8000 00']);
    });

    it('add in e4m3fn overflows to NaN; --tininess before and after differ', function () {
      expect(evalLines(['add', '--format', 'e4m3fn'], ['7E 7E', '01 81'])).to.deep.equal(['7F 05', '00 00']);
      // 2^-14·(1+2^-10) · (1-2^-10) = 2^-14·(1-2^-20): tiny before rounding, not after.
      expect(evalLines(['mul', '--format', 'fp16', '--tininess', 'before'], ['0401 3BFE'])).to.deep.equal(['0400 03']);
      expect(evalLines(['mul', '--format', 'fp16', '--tininess', 'after'], ['0401 3BFE'])).to.deep.equal(['0400 01']);
    });

    it('convert f64 → fp16 takes the 16-hex-digit binary64 pattern', function () {
      expect(evalLines(['convert', '--a', 'f64', '--to', 'fp16'], ['3FF0000000000001', '3FB999999999999A', '7FF0000000000000', '40F0000000000000'])).to.deep.equal([
        '3C00 01',
        '2E66 01',
        '7C00 00',
        '7C00 05',
      ]);
      expect(evalLines(['convert', '--a', 'f64', '--to', 'fp16', '--rounding', 'rup'], ['3FB999999999999A'])).to.deep.equal(['2E67 01']);
      expect(evalLines(['convert', '--a', 'fp16', '--to', 'f64'], ['7E01'])).to.deep.equal(['7FF8040000000000 00']);
    });

    it('convert to and from i32 / ui32, with --exact as TestFloat -exact', function () {
      expect(evalLines(['convert', '--a', 'fp16', '--to', 'i32'], ['4100', 'C100', '7C00'])).to.deep.equal(['00000002 00', 'FFFFFFFE 00', '80000000 10']);
      expect(evalLines(['convert', '--a', 'fp16', '--to', 'i32', '--exact'], ['4100'])).to.deep.equal(['00000002 01']);
      expect(evalLines(['convert', '--a', 'fp16', '--to', 'ui32', '--rounding', 'rtz'], ['BC00', 'B800'])).to.deep.equal(['FFFFFFFF 10', '00000000 00']);
      expect(evalLines(['convert', '--a', 'i32', '--to', 'fp16'], ['FFFFFFFE', '7FFFFFFF'])).to.deep.equal(['C000 00', '7C00 05']);
    });

    it('eq, lt, le answer 0 or 1, with IEEE flags', function () {
      expect(evalLines(['eq', '--format', 'fp16'], ['0000 8000', '7E00 7E00', '7C01 3C00'])).to.deep.equal(['1 00', '0 00', '0 10']);
      expect(evalLines(['lt', '--format', 'fp16'], ['3C00 4000', '7E00 3C00'])).to.deep.equal(['1 00', '0 10']);
      expect(evalLines(['le', '--format', 'fp16'], ['4000 4000', 'FC00 7BFF'])).to.deep.equal(['1 00', '1 00']);
    });

    it('fixed-point add into an ap_fixed target: full precision, then the target quantisation and overflow', function () {
      const args = ['add', '--format', 'ap_fixed<8,3>', '--to', 'ap_fixed<6,3,AP_RND,AP_SAT>'];
      // 31/32 + 1/32 = 1 → 08; 127/32·2 = 7.9375 → saturates at 3.875 = 1F; -4 - 1/32 → -32.25 lsb → -32 = 20.
      expect(evalLines(args, ['1F 01', '7F 7F', '80 FF'])).to.deep.equal(['08 00', '1F 05', '20 01']);
      // The same sum into a wrapping target.
      expect(evalLines(['add', '--format', 'ap_fixed<8,4>'], ['64 32'])).to.deep.equal(['96 04']);
    });

    it('fixed-point mul and sub follow ap_fixed', function () {
      expect(evalLines(['mul', '--format', 'ap_fixed<8,4>', '--to', 'ap_fixed<8,4,AP_RND,AP_SAT>'], ['80 80', '18 18', '03 08'])).to.deep.equal([
        '7F 04',
        '24 00',
        '02 01',
      ]);
      expect(evalLines(['sub', '--format', 'ap_ufixed<8,4>', '--to', 'ap_ufixed<8,4,AP_TRN,AP_SAT>'], ['10 20'])).to.deep.equal(['00 04']);
    });

    it('mixes fixed point and float through exact values, rounding once', function () {
      expect(evalLines(['add', '--a', 'ap_fixed<8,4>', '--b', 'fp16', '--to', 'fp16'], ['10 3C00', '01 3C00'])).to.deep.equal(['4000 00', '3C40 00']);
      expect(evalLines(['add', '--a', 'ap_fixed<8,4>', '--b', 'fp16', '--to', 'ap_fixed<8,4>'], ['10 3C00', '10 7E00'])).to.deep.equal(['20 00', '00 10']);
      expect(evalLines(['convert', '--a', 'fp16', '--to', 'ap_fixed<8,3,AP_RND_CONV,AP_SAT>'], ['4170', '4178'])).to.deep.equal(['57 00', '58 01']);
      expect(evalLines(['convert', '--a', 'ap_fixed<16,8>', '--to', 'e4m3fn'], ['0180'])).to.deep.equal(['3C 00']);
      expect(evalLines(['fma', '--a', 'fp32', '--b', 'fp32', '--c', 'fp16', '--to', 'fp16'], ['3F800001 3F800001 BC00'])).to.deep.equal(['0004 03']);
    });

    it('stochastic rounding uses the 0-based line number as the element index', function () {
      const input = Array.from({ length: 40 }, () => '3C00 0C00'); // 1 + 2^-12: a quarter ulp
      const out = evalLines(['add', '--format', 'fp16', '--rounding', 'sr', '--sr-bits', '12', '--seed', '7'], input);
      const ctx = context({ rounding: 'sr', srBits: 12, seed: 7 });
      const want = input.map((_, i) => {
        const r = add(catalog.fp16, 0x3c00, 0x0c00, ctx, i);
        return `${r.code.toString(16).toUpperCase().padStart(4, '0')} 0${r.flags}`;
      });
      expect(out).to.deep.equal(want);
      expect(new Set(out).size, 'both neighbours occur').to.equal(2);
    });

    it('reports a malformed line with its number on stderr, goes on, and exits 1', function () {
      const r = run(['eval', 'add', '--format', 'fp16'], '3C00 3C00\n3C00\nZZ 0000\n\n# comment\n4000 4000\n');
      expect(r.status).to.equal(1);
      expect(r.lines).to.deep.equal(['4000 00', '4400 00']);
      expect(r.stderr).to.include('line 2: expected 2 operands (fp16 fp16), got 1 field');
      expect(r.stderr).to.include('line 3: operand a: "ZZ" is not a hex code of fp16');
      expect(r.stderr).to.not.include('line 4:');
      expect(r.stderr).to.not.include('line 5:');
    });

    it('rejects a code too wide for its format as a malformed line', function () {
      const r = run(['eval', 'add', '--format', 'e4m3fn'], '100 01\n');
      expect(r.status).to.equal(1);
      expect(r.stderr).to.include('line 1: operand a: 100 does not fit in the 8 bits of e4m3fn');
    });

    it('usage errors name the argument and the allowed values, exit status 2', function () {
      const op = run(['eval', 'frobnicate', '--format', 'fp16']);
      expect(op.status).to.equal(2);
      expect(op.stderr).to.include("argument 'op'").and.include('Allowed choices are add, sub, mul, div, fma');
      const fmt = run(['eval', 'add', '--format', 'fp17']);
      expect(fmt.status).to.equal(2);
      expect(fmt.stderr).to.include("option '--format <F>' argument 'fp17' is invalid").and.include('accepted: catalog names');
      const mode = run(['eval', 'add', '--format', 'fp16', '--rounding', 'nearest']);
      expect(mode.status).to.equal(2);
      expect(mode.stderr).to.include("option '--rounding <M>' argument 'nearest' is invalid. Allowed choices are rne, rna, rno, rtz, rup, rdn, rod, sr");
      const tin = run(['eval', 'add', '--format', 'fp16', '--tininess', 'never']);
      expect(tin.status).to.equal(2);
      expect(tin.stderr).to.include('Allowed choices are before, after');
      const none = run(['eval', 'add']);
      expect(none.status).to.equal(2);
      expect(none.stderr).to.include('no format for operand a; give --format F or --a F');
      const mixed = run(['eval', 'div', '--a', 'fp16', '--b', 'fp16', '--to', 'fp32']);
      expect(mixed.status).to.equal(2);
      expect(mixed.stderr).to.include('eval div: operands and result must be one float format');
      const fixInt = run(['eval', 'convert', '--a', 'ap_fixed<8,3>', '--to', 'i32']);
      expect(fixInt.status).to.equal(2);
      expect(fixInt.stderr).to.include('needs a float source');
      const seed = run(['eval', 'add', '--format', 'fp16', '--seed', '-1']);
      expect(seed.status).to.equal(2);
      const bad = run(['eval', 'add', '--format', 'ap_fixed<8,3,AP_NOPE>']);
      expect(bad.status).to.equal(2);
      expect(bad.stderr).to.include('quant: ap_fixed accepts AP_TRN');
    });
  });

  describe('testfloat-ver', function () {
    it('passes known-good lines and prints the summary line', function () {
      const r = run(['testfloat-ver', 'f16_add', '--rounding', 'rne'], '3C00 3C00 4000 00\n7BFF 7BFF 7C00 05\n0001 8001 0000 00\n3C00 0001 3C00 01\n');
      expect(r.status).to.equal(0);
      expect(r.lines).to.deep.equal(['4 passed, 0 failed']);
    });

    it('decodes a known-bad line: fields, value, expected and got, flags by name; exit 1', function () {
      const r = run(['testfloat-ver', 'f16_add', '--rounding', 'rne'], '3C00 3C00 4000 00\n3C00 0001 3C01 00\n');
      expect(r.status).to.equal(1);
      expect(r.stdout).to.include('line 2: f16_add, rounding rne, tininess after');
      expect(r.stdout).to.include('B         0001  0 00000 0000000001  5.9604644775390625e-8 (subnormal)');
      expect(r.stdout).to.include('expected  3C01  0 01111 0000000001  1.0009765625 (normal)   flags 00 none');
      expect(r.stdout).to.include('got       3C00  0 01111 0000000000  1 (normal)   flags 01 inexact');
      expect(r.stdout).to.include('(result differs; extra inexact)');
      expect(r.lines[r.lines.length - 1]).to.equal('1 passed, 1 failed');
    });

    it('counts a malformed line as failed and names it on stderr', function () {
      const r = run(['testfloat-ver', 'f16_mul', '--rounding', 'rtz'], '3C00 3C00 3C00 00\n3C00 3C00\n');
      expect(r.status).to.equal(1);
      expect(r.stderr).to.include('line 2: malformed: expected 4 fields (A B Z FL) for f16_mul, got 2');
      expect(r.lines[r.lines.length - 1]).to.equal('1 passed, 1 failed');
    });

    it('checks the reference f16_to_i32 file with --exact, and finds it wrong without', function () {
      const dir = [process.env.BITEXACT_VECTORS && join(process.env.BITEXACT_VECTORS, 'testfloat'), resolve(ROOT, '../shared/vectors/testfloat'), '/work/shared/vectors/testfloat'].find(
        (d): d is string => !!d && existsSync(d),
      );
      if (!dir) this.skip();
      const text = gunzipSync(readFileSync(join(dir!, 'f16_to_i32.rup.exact.txt.gz'))).toString('latin1').split('\n').slice(0, 2000).join('\n');
      const good = run(['testfloat-ver', 'f16_to_i32', '--rounding', 'rup', '--exact'], text);
      expect(good.lines[good.lines.length - 1]).to.equal('2000 passed, 0 failed');
      expect(good.status).to.equal(0);
      const bad = run(['testfloat-ver', 'f16_to_i32', '--rounding', 'rup'], text);
      expect(bad.status).to.equal(1);
      expect(bad.stdout).to.include('(missing inexact)');
    });

    it('rejects an unknown function with the accepted forms, exit status 2', function () {
      const r = run(['testfloat-ver', 'f16_frobnicate']);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.include('function "f16_frobnicate": unknown; accepted: <type>_<op>');
    });
  });

  describe('testfloat-gen', function () {
    it('fp16 vectors verify clean with testfloat-ver (every operation, the modes in turn)', function () {
      const fns = ['f16_add', 'f16_sub', 'f16_mul', 'f16_div', 'f16_mulAdd', 'f16_sqrt', 'f16_eq', 'f16_lt', 'f16_le', 'f32_to_f16', 'f16_to_i32', 'i32_to_f16'];
      const modes = ['rne', 'rdn', 'rtz', 'rup', 'rna'];
      for (const [k, fn] of fns.entries()) {
        for (const mode of [modes[k % modes.length]!]) {
          const gen = run(['testfloat-gen', fn, '--rounding', mode, '-n', '1500', '--seed', '3']);
          expect(gen.status).to.equal(0);
          expect(gen.lines).to.have.length(1500);
          const ver = run(['testfloat-ver', fn, '--rounding', mode], gen.stdout);
          expect(ver.lines[ver.lines.length - 1], `${fn} ${mode}`).to.equal('1500 passed, 0 failed');
          expect(ver.status).to.equal(0);
        }
      }
    });

    it('the whole level-1 sweep of f16_mulAdd in rtz with tininess before verifies clean', function () {
      const gen = run(['testfloat-gen', 'f16_mulAdd', '--rounding', 'rtz', '--tininess', 'before']);
      const ver = run(['testfloat-ver', 'f16_mulAdd', '--rounding', 'rtz', '--tininess', 'before'], gen.stdout);
      expect(ver.lines[ver.lines.length - 1]).to.equal(`${gen.lines.length} passed, 0 failed`);
    });

    it('writes no header by default; --header names formats, mode, tininess and version, and ver takes its settings', function () {
      const plain = run(['testfloat-gen', 'f16_add', '-n', '5']);
      expect(plain.lines[0]).to.match(/^[0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{2}$/);
      const gen = run(['testfloat-gen', 'add', '--format', 'e4m3fn', '--rounding', 'sr', '--sr-bits', '3', '--seed', '11', '--header', '-n', '3000']);
      expect(gen.lines[0]).to.equal(
        '# bitexact testfloat-gen v2 function=e4m3fn_add operands=e4m3fn,e4m3fn result=e4m3fn rounding=sr sr-bits=3 tininess=after level=1 seed=11 count=3000',
      );
      expect(gen.lines).to.have.length(3001);
      expect(gen.lines[1]).to.match(/^[0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2}$/);
      const ver = run(['testfloat-ver', 'e4m3fn_add'], gen.stdout);
      expect(ver.lines[ver.lines.length - 1]).to.equal('3000 passed, 0 failed');
      expect(ver.stderr).to.equal('');
    });

    it('is deterministic for a seed; other seeds give other cases', function () {
      const a = run(['testfloat-gen', 'bf16_mul', '-n', '500', '--seed', '1']);
      const b = run(['testfloat-gen', 'bf16_mul', '-n', '500', '--seed', '1']);
      const c = run(['testfloat-gen', 'bf16_mul', '-n', '500', '--seed', '2']);
      expect(a.stdout).to.equal(b.stdout);
      expect(a.stdout).to.not.equal(c.stdout);
    });

    it('level 2 is exhaustive for two FP4 operands; the default count is the sweep', function () {
      const r = run(['testfloat-gen', 'mul', '--format', 'e2m1fn', '--level', '2']);
      expect(r.lines).to.have.length(256);
      expect(new Set(r.lines.map((l) => l.slice(0, 3))).size).to.equal(256);
    });

    it('usage errors: a bare op without --format, a conflicting --format, a bad level (exit 2)', function () {
      const bare = run(['testfloat-gen', 'add']);
      expect(bare.status).to.equal(2);
      expect(bare.stderr).to.include('a bare operation needs a format');
      const conflict = run(['testfloat-gen', 'f16_add', '--format', 'bf16']);
      expect(conflict.status).to.equal(2);
      expect(conflict.stderr).to.include('conflicts with the function f16_add');
      const level = run(['testfloat-gen', 'f16_add', '--level', '3']);
      expect(level.status).to.equal(2);
      expect(level.stderr).to.include("option '--level <L>' argument '3' is invalid");
    });
  });

  describe('showcase, help, exit statuses', function () {
    it('showcase prints a short tour of real computations', function () {
      const t0 = Date.now();
      const r = run(['showcase']);
      expect(r.status).to.equal(0);
      expect(Date.now() - t0).to.be.lessThan(10000);
      expect(r.stdout).to.include('Every encoding of e2m1fn');
      expect(r.stdout).to.match(/e4m3fn\s+288 x\s+288 x\s+320 x\s+288 x/);
      expect(r.stdout).to.include('fma(a, b, c)      = 0010 (9.5367431640625e-7)  flags -');
      expect(r.stdout).to.match(/ap_fixed<8,3,AP_RND,AP_SAT>\s+9\.3\s+7F\s+3\.96875\s+ox/);
    });

    it('--help works for the program and every command', function () {
      for (const args of [['--help'], ['formats', '--help'], ['table', '--help'], ['eval', '--help'], ['testfloat-ver', '--help'], ['testfloat-gen', '--help'], ['showcase', '--help']]) {
        const r = run(args);
        expect(r.status, args.join(' ')).to.equal(0);
        expect(r.stdout).to.match(/^Usage: bitexact/);
      }
      expect(run(['eval', '--help']).stdout.replace(/\s+/g, ' ')).to.include('its 0-based line number');
    });

    it('an unknown command or no command is a usage error (exit 2)', function () {
      const r = run(['frobnicate']);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.include("unknown command 'frobnicate'");
      expect(run([]).status).to.equal(2);
    });

    it('docs/formats.md is the output of the hidden docs-formats command', function () {
      const r = run(['docs-formats']);
      expect(r.status).to.equal(0);
      const doc = readFileSync(join(ROOT, 'docs/formats.md'), 'utf8');
      expect(doc === r.stdout, 'docs/formats.md is stale: run node bin/bitexact.js docs-formats > docs/formats.md').to.equal(true);
    });
  });
});
