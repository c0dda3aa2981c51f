/**
 * `bitexact eval dot --mac NAME --k K` and `bitexact macs`, run as a user runs them (child process).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESETS } from '../../src/accum/presets/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin/bitexact.js');

function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe('bitexact eval dot and bitexact macs', function () {
  it('lists every preset, one line each', function () {
    const r = run(['macs']);
    expect(r.status).to.equal(0);
    const lines = r.stdout.split('\n');
    expect(lines).to.have.length(PRESETS.length);
    for (const p of PRESETS) expect(r.stdout).to.contain(p.name);
  });
  it('runs a VNNI lane: 255·1 + 1·1 + 2·1 + 3·1 = 261', function () {
    const r = run(['eval', 'dot', '--mac', 'x86-vpdpbusd', '--k', '4'], '00000000 FF 01 02 03 01 01 01 01\n');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal('00000105 00 macs=4 inexact=0 overflows=0 saturations=0 swamped=0');
  });
  it('saturates VPDPBUSDS and counts it', function () {
    const r = run(['eval', 'dot', '--mac', 'x86-vpdpbusds', '--k', '4'], '7FFFFFFF FF FF FF FF 7F 7F 7F 7F\n');
    expect(r.stdout).to.equal('7FFFFFFF 00 macs=4 inexact=0 overflows=1 saturations=1 swamped=0');
  });
  it('runs a Wang 2018 unit on any K: 1·1 + 2·1 = 3 in (1,6,9)', function () {
    const r = run(['eval', 'dot', '--mac', 'wang2018-fp8-chunk64', '--k', '2'], '0000 3C 40 3C 3C\n');
    expect(r.stdout).to.equal('4100 00 macs=2 inexact=0 overflows=0 saturations=0 swamped=0');
  });
  it('reports a malformed line with its number, processes the others, exits 1', function () {
    const r = run(['eval', 'dot', '--mac', 'x86-vpdpwssd', '--k', '2'], '00000000 0001 0002\n00000001 0001 0002 0003 0004\n');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/line 1: expected 5 fields/);
    expect(r.stdout).to.equal('0000000C 00 macs=2 inexact=0 overflows=0 saturations=0 swamped=0');
  });
  it('rejects an unknown preset and a wrong K with exit 2, naming the allowed values', function () {
    const u = run(['eval', 'dot', '--mac', 'nope', '--k', '2'], '');
    expect(u.status).to.equal(2);
    expect(u.stderr).to.match(/unknown preset "nope"; known: x86-vdpbf16ps/);
    const k = run(['eval', 'dot', '--mac', 'x86-vpdpbusd', '--k', '3'], '');
    expect(k.status).to.equal(2);
    expect(k.stderr).to.match(/takes K = 4 products per lane, got --k 3/);
  });
});

describe('bitexact output into a reader that stops early', function () {
  it('ends quietly (no EPIPE crash) for --help and table', function () {
    for (const args of [['--help'], ['table', 'e4m3fn'], ['showcase']]) {
      const r = spawnSync('bash', ['-c', `node "${BIN}" ${args.join(' ')} | head -n 1 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
      expect(r.stderr, args.join(' ')).to.not.match(/EPIPE/);
      expect(r.stdout.trim(), args.join(' ')).to.equal('0');
    }
  });
});
