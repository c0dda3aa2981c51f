#!/usr/bin/env node
// Regenerates the tables of docs/results.md: runs each row's `bitexact train ... --json` (two at a
// time), then prints markdown rows with the measured numbers and the exact command. Usage:
//   node scripts/results.mjs [lenet|mlp|all]  > rows.md
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'bitexact.js');
const which = process.argv[2] ?? 'all';
const LENET = ['--model', 'lenet', '--epochs', '2', '--train-limit', '4000', '--seed', '1'];
const MLP = ['--model', 'mlp', '--epochs', '2', '--seed', '1', '--lr', '0.01'];
const rows = [];
if (which !== 'mlp')
  for (const r of ['fp32', 'micikevicius2017', 'hfp8', 'wang2018-chunk64', 'wang2018-sequential', 'gupta2015-sr', 'gupta2015-nearest', 'two-phase-fixed16-fp32'])
    rows.push(['lenet', [...LENET, '--recipe', r]]);
if (which !== 'lenet')
  for (const r of ['fp32', 'gupta2015-sr', 'gupta2015-nearest', 'gupta2015-sr-fl10', 'gupta2015-nearest-fl10', 'gupta2015-sr-fl14', 'gupta2015-nearest-fl14'])
    rows.push(['mlp', [...MLP, '--recipe', r]]);

function run(args) {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [BIN, 'train', ...args, '--json', '--no-progress'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? res(JSON.parse(out)) : rej(new Error(`exit ${code}: ${args.join(' ')}`))));
  });
}

const results = new Array(rows.length);
let next = 0;
async function worker() {
  while (next < rows.length) {
    const i = next++;
    results[i] = await run(rows[i][1]);
    process.stderr.write(`done ${rows[i][1].join(' ')}\n`);
  }
}
await Promise.all([worker(), worker()]);
const sum = (s, k) => s.forward[k] + s.backward[k] + s.gradient[k];
console.log('| model | recipe | test accuracy | test loss | overflows | saturated | swamped | skipped steps | weight hash | command |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---|---|');
results.forEach((r, i) => {
  console.log(`| ${rows[i][0]} | \`${r.recipe}\` | ${(r.testAccuracy * 100).toFixed(2)} % | ${r.testLoss.toFixed(4)} | ${sum(r.stats, 'overflows').toLocaleString('en-US')} | ${sum(r.stats, 'saturations').toLocaleString('en-US')} | ${sum(r.stats, 'swamped').toLocaleString('en-US')} | ${r.skippedSteps} | \`${r.hash}\` | \`${r.command}\` |`);
});
