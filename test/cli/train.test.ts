/**
 * `bitexact train`, `infer`, `recipes` and `start` as a user runs them (child processes): JSON
 * output, the same weight hash on a second run, saved weights that `infer` reads back to the same
 * accuracy, and clear errors (exit status 2 for usage, 1 for a bad file) that leave files untouched.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin/bitexact.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SMALL = ['--model', 'mlp:784-8-10', '--train-limit', '64', '--test-limit', '40', '--batch', '16', '--no-progress'];

describe('cli: train, infer, recipes, start', function () {
  this.timeout(120000);
  const dir = mkdtempSync(join(tmpdir(), 'bitexact-train-'));

  it('train --json reports accuracy, statistics and the weight hash; a second run gives the same hash', () => {
    const a = run(['train', ...SMALL, '--recipe', 'wang2018-chunk64', '--json', '--save', join(dir, 'w.json')]);
    expect(a.status, a.stderr).to.equal(0);
    const j = JSON.parse(a.stdout);
    expect(j.recipe).to.equal('wang2018-chunk64');
    expect(j.testSamples).to.equal(40);
    expect(j.stats.forward.macs).to.equal(64 * (784 * 8 + 80) + 0);
    expect(j.hash).to.match(/^[0-9a-f]{16}$/);
    expect(j.command).to.contain('--recipe wang2018-chunk64');
    const b = JSON.parse(run(['train', ...SMALL, '--recipe', 'wang2018-chunk64', '--json']).stdout);
    expect(b.hash).to.equal(j.hash);
    const inf = run(['infer', '--weights', join(dir, 'w.json'), '--test-limit', '40', '--json']);
    expect(inf.status, inf.stderr).to.equal(0);
    const k = JSON.parse(inf.stdout);
    expect(k.hash).to.equal(j.hash);
    expect(k.testAccuracy).to.equal(j.testAccuracy);
    expect(k.testLoss).to.equal(j.testLoss);
    const other = JSON.parse(run(['infer', '--weights', join(dir, 'w.json'), '--test-limit', '40', '--recipe', 'fp32', '--json']).stdout);
    expect(other.recipe).to.equal('fp32');
    expect(other.trainedWith).to.equal('wang2018-chunk64');
    const i8 = run(['infer', '--weights', join(dir, 'w.json'), '--test-limit', '40', '--recipe', 'int8', '--json']);
    expect(i8.status, i8.stderr).to.equal(0);
    expect(JSON.parse(i8.stdout).recipe).to.equal('int8');
    expect(run(['train', ...SMALL, '--recipe', 'int8']).stderr).to.match(/int8: is for inference only/);
  });

  it('the table names every column', () => {
    const r = run(['train', ...SMALL, '--recipe', 'gupta2015-sr']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.split('\n')[0]).to.match(/^recipe\s+test acc\s+test loss\s+train loss\s+MACs\s+overflows\s+saturated\s+swamped\s+skipped\s+time\s+weight hash$/);
    expect(r.stdout).to.match(/\ngupta2015-sr\s+\d+\.\d\d%/);
  });

  it('recipes lists every recipe with its source', () => {
    const r = run(['recipes']);
    expect(r.status).to.equal(0);
    for (const n of ['fp32', 'gupta2015-sr', 'gupta2015-nearest', 'wang2018-chunk64', 'wang2018-sequential', 'hfp8', 'micikevicius2017']) expect(r.stdout).to.match(new RegExp(`^${n}\\s`, 'm'));
    expect(r.stdout).to.contain('source: N. Wang');
  });

  it('usage errors exit 2 and name the problem', () => {
    const cases: [string[], RegExp][] = [
      [['train', ...SMALL, '--recipe', 'nope'], /recipe "nope": unknown; available: fp32/],
      [['train', '--model', 'vgg', '--train-limit', '10'], /model "vgg": unknown; accepted: lenet, lenet-avg, mlp/],
      [['train', ...SMALL, '--epochs', '0'], /expected an integer in 1\.\.10000/],
      [['train', '--model', 'mlp', '--train-limit', '99999'], /--train-limit: must be an integer in 1\.\.7996, got 99999/],
      [['train', ...SMALL, '--data', join(dir, 'nowhere')], /train-images-idx3-ubyte not found/],
      [['infer', '--weights', join(dir, 'missing.json')], /--weights: .*missing\.json not found/],
    ];
    for (const [args, re] of cases) {
      const r = run(args);
      expect(r.status, args.join(' ')).to.be.oneOf([1, 2]);
      expect(r.stderr, args.join(' ')).to.match(re);
    }
  });

  it('a corrupt weights file is reported and left as it was; a failed --save writes nothing', () => {
    const p = join(dir, 'w.json');
    const good = readFileSync(p, 'utf8');
    const j = JSON.parse(good);
    j.params[0].codes = j.params[0].codes.replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    const badText = JSON.stringify(j);
    writeFileSync(join(dir, 'bad.json'), badText);
    const r = run(['infer', '--weights', join(dir, 'bad.json')]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/bad\.json: the weights hash .* does not match the stored .*corrupt/);
    expect(readFileSync(join(dir, 'bad.json'), 'utf8')).to.equal(badText);
    const s = run(['train', ...SMALL, '--save', join(dir, 'no-such-dir', 'w.json')]);
    expect(s.status).to.equal(1);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).to.deep.equal([]);
    expect(existsSync(join(dir, 'no-such-dir'))).to.equal(false);
  });

  it('start (the main job) trains under the hardware recipe and fp32 and prints the table', () => {
    const r = run(['start', '--model', 'mlp:784-8-10', '--train-limit', '64', '--test-limit', '40', '--batch', '16', '--recipe', 'hfp8']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/\nhfp8\s+\d+\.\d\d%.*\nfp32\s+\d+\.\d\d%/s);
    expect(r.stdout).to.contain('source: X. Sun');
  });
});
