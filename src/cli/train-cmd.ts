/**
 * `bitexact train`, `bitexact infer`, `bitexact recipes` and `bitexact start` (the main job, what
 * `npm start` runs): networks trained and evaluated on bit-exact arithmetic. Progress bars go to
 * stderr on a terminal; results to stdout (a table, or one JSON object with --json).
 */
import { existsSync, readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { firstN, type Dataset } from '../data/dataset.js';
import type { MacStats } from '../accum/types.js';
import { buildModel, type Model } from '../nn/model.js';
import { RECIPES, recipeByName } from '../nn/recipes.js';
import { evaluate, train, type EpochSummary } from '../nn/train.js';
import { loadWeights, serializeWeights, weightsHash } from '../nn/weights-io.js';
import type { Recipe } from '../nn/policy.js';
import { calibrateInt8 } from '../nn/int8.js';
import { intArg, UsageError } from './common.js';
import { loadMnist } from './data.js';

/** Options shared by train and start. */
export interface TrainCliOptions {
  model: string;
  recipe: string;
  epochs: number;
  seed: number;
  batch: number;
  lr?: number;
  momentum: number;
  trainLimit?: number;
  testLimit?: number;
  data?: string;
  save?: string;
  json?: boolean;
  progress: boolean;
}

/** What one training run reports. */
export interface RunReport {
  readonly model: string;
  readonly recipe: string;
  readonly seed: number;
  readonly epochs: readonly EpochSummary[];
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly stats: Record<'forward' | 'backward' | 'gradient', MacStats>;
  readonly skippedSteps: number;
  readonly seconds: number;
  readonly hash: string;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly command: string;
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function numberArg(what: string, lo: number, hiExclusive: number) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < lo || x >= hiExclusive) throw new UsageError(`${what}: must be a number in [${lo}, ${hiExclusive}), got ${JSON.stringify(v)}`);
    return x;
  };
}

/** Writes a file atomically: a temporary file next to it, then a rename (an existing file is never half-written). */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
}

function bar(enabled: boolean, label: string): cliProgress.SingleBar | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  return new cliProgress.SingleBar(
    { format: `${label.padEnd(26)} {bar} {value}/{total} steps | epoch {epoch} | loss {loss} | {duration_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
}

/** Trains one model under one recipe on the given data; prints progress to stderr. */
export function runTraining(o: TrainCliOptions, data: { train: Dataset; test: Dataset }, command: string): { report: RunReport; model: Model } {
  const recipe = usage(() => recipeByName(o.recipe));
  const model = usage(() => buildModel(o.model, [1, data.train.rows, data.train.cols]));
  const train0 = usage(() => firstN(data.train, o.trainLimit, '--train-limit'));
  const test0 = usage(() => firstN(data.test, o.testLimit, '--test-limit'));
  const t0 = performance.now();
  model.init(o.seed, recipe);
  const steps = Math.floor(train0.n / o.batch);
  const b = bar(o.progress, `${model.name} / ${recipe.name}`);
  b?.start(steps * o.epochs, 0, { epoch: 1, loss: '-' });
  let done = 0;
  const res = usage(() =>
    train(model, recipe, train0, {
      epochs: o.epochs,
      batch: o.batch,
      lr: o.lr ?? recipe.lr ?? 0.05,
      momentum: o.momentum,
      seed: o.seed,
      recipeByName,
      test: test0,
      onStep: (s) => b?.update(++done, { epoch: s.epoch + 1, loss: Number.isFinite(s.loss) ? s.loss.toFixed(4) : String(s.loss) }),
      onEpoch: (e) => {
        if (!b && !o.json && o.progress) {
          process.stderr.write(`${model.name} / ${recipe.name}: epoch ${e.epoch + 1}: train loss ${e.trainLoss.toFixed(4)}, test accuracy ${((e.testAccuracy ?? 0) * 100).toFixed(2)}%\n`);
        }
      },
    }),
  );
  b?.stop();
  const last = res.epochs[res.epochs.length - 1]!;
  const hash = weightsHash(model);
  if (o.save) writeAtomic(o.save, serializeWeights(model, { model: model.name, recipe: recipe.name, seed: o.seed, epochs: o.epochs }));
  return {
    model,
    report: {
      model: model.name,
      recipe: recipe.name,
      seed: o.seed,
      epochs: res.epochs,
      testAccuracy: last.testAccuracy!,
      testLoss: last.testLoss!,
      stats: res.stats,
      skippedSteps: res.skippedSteps,
      seconds: (performance.now() - t0) / 1000,
      hash,
      trainSamples: train0.n,
      testSamples: test0.n,
      command,
    },
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A plain-text table of run reports. */
export function reportTable(rs: readonly RunReport[]): string {
  const head = ['recipe', 'test acc', 'test loss', 'train loss', 'MACs', 'overflows', 'saturated', 'swamped', 'skipped', 'time', 'weight hash'];
  const rows = rs.map((r) => {
    const s = r.stats;
    const sum = (k: keyof MacStats) => s.forward[k] + s.backward[k] + s.gradient[k];
    const last = r.epochs[r.epochs.length - 1]!;
    return [r.recipe, pct(r.testAccuracy), r.testLoss.toFixed(4), last.trainLoss.toFixed(4), count(sum('macs')), count(sum('overflows')), count(sum('saturations')), count(sum('swamped')), String(r.skippedSteps), `${r.seconds.toFixed(1)} s`, r.hash];
  });
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

function recipesText(): string {
  const w = Math.max(...RECIPES.map((r) => r.name.length));
  return RECIPES.map((r) => `${r.name.padEnd(w)}  ${r.description}\n${' '.repeat(w)}  source: ${r.source}`).join('\n') + '\n';
}

function addTrainOptions(c: Command, dflt: { recipe: string; epochs: number; trainLimit?: number; testLimit?: number }): Command {
  return c
    .addOption(new Option('--model <M>', 'lenet, mlp, or mlp:784-300-100-10').default('lenet'))
    .addOption(new Option('--recipe <R>', 'training recipe (see `bitexact recipes`)').default(dflt.recipe))
    .addOption(new Option('--epochs <N>', 'epochs').argParser(intArg(1, 10000)).default(dflt.epochs))
    .addOption(new Option('--seed <S>', 'seed of initialisation, shuffling and stochastic rounding').argParser(intArg(0, 0xffffffff)).default(1))
    .addOption(new Option('--batch <N>', 'mini-batch size').argParser(intArg(1, 65536)).default(32))
    .addOption(new Option('--lr <X>', 'learning rate (default: the recipe\'s)').argParser(numberArg('--lr', 1e-12, 100)))
    .addOption(new Option('--momentum <X>', 'SGD momentum').argParser(numberArg('--momentum', 0, 1)).default(0.9))
    .addOption(new Option('--train-limit <N>', 'use the first N training samples').argParser(intArg(1, 1e9)).default(dflt.trainLimit))
    .addOption(new Option('--test-limit <N>', 'use the first N test samples').argParser(intArg(1, 1e9)).default(dflt.testLimit))
    .addOption(new Option('--data <DIR>', '"embedded" (the mnist package\'s 10,000 digits: 7,996 train / 2,004 test) or a directory of MNIST IDX files').default('embedded'))
    .option('--json', 'print one JSON object instead of the table')
    .option('--no-progress', 'no progress output on stderr');
}

function commandLine(name: string, o: TrainCliOptions): string {
  const parts = [`bitexact ${name}`, `--model ${o.model}`, `--recipe ${o.recipe}`, `--epochs ${o.epochs}`, `--seed ${o.seed}`, `--batch ${o.batch}`];
  if (o.lr !== undefined) parts.push(`--lr ${o.lr}`);
  if (o.momentum !== 0.9) parts.push(`--momentum ${o.momentum}`);
  if (o.trainLimit !== undefined) parts.push(`--train-limit ${o.trainLimit}`);
  if (o.testLimit !== undefined) parts.push(`--test-limit ${o.testLimit}`);
  if (o.data && o.data !== 'embedded') parts.push(`--data ${o.data}`);
  return parts.join(' ');
}

function loadData(o: { data?: string }) {
  return usage(() => loadMnist(o.data));
}

/** Registers train, infer, recipes and start. */
export function registerTrain(program: Command): void {
  program
    .command('recipes')
    .description('list the training recipes with their sources')
    .action(() => {
      process.stdout.write(recipesText());
    });

  addTrainOptions(program.command('train').description('train a model under a recipe on MNIST and report accuracy, per-MAC statistics and the weight hash'), { recipe: 'fp32', epochs: 1 })
    .option('--save <FILE>', 'write the trained weights (codes and formats; see docs/training.md)')
    .action((o: TrainCliOptions) => {
      const data = loadData(o);
      const { report } = runTraining(o, data, commandLine('train', o));
      process.stdout.write(o.json ? JSON.stringify(report, null, 1) + '\n' : reportTable([report]));
    });

  program
    .command('infer')
    .description('evaluate saved weights on the test set, under their recipe or another one')
    .requiredOption('--weights <FILE>', 'a weights file written by `bitexact train --save`')
    .option('--recipe <R>', 'run inference under this recipe (the weights are rounded into its formats); default: the recipe they were trained with')
    .addOption(new Option('--test-limit <N>', 'use the first N test samples').argParser(intArg(1, 1e9)))
    .addOption(new Option('--data <DIR>', '"embedded" or a directory of MNIST IDX files').default('embedded'))
    .option('--json', 'print one JSON object')
    .action((o: { weights: string; recipe?: string; testLimit?: number; data?: string; json?: boolean }) => {
      if (!existsSync(o.weights)) throw new UsageError(`--weights: ${o.weights} not found`);
      const text = readFileSync(o.weights, 'utf8');
      let meta: { model?: unknown; recipe?: unknown };
      try {
        meta = JSON.parse(text) as typeof meta;
      } catch {
        throw new Error(`${o.weights}: not a weights file (invalid JSON)`);
      }
      const model = usage(() => buildModel(String(meta?.model ?? '?')));
      const trained: Recipe = usage(() => recipeByName(String(meta.recipe)));
      model.init(0, trained);
      const m = loadWeights(model, text, o.weights);
      let recipe = o.recipe ? usage(() => recipeByName(o.recipe!)) : trained;
      const data = loadData(o);
      // int8: formats calibrated on the first 256 training digits, run through the model as trained.
      if (recipe.calibrate === 'int8') recipe = calibrateInt8(model, data.train, 256);
      if (recipe !== trained) model.setRecipe(recipe);
      const test = usage(() => firstN(data.test, o.testLimit, '--test-limit'));
      const t0 = performance.now();
      const ev = evaluate(model, test, m.seed);
      const out = { model: model.name, weights: o.weights, trainedWith: m.recipe, recipe: recipe.name, testSamples: test.n, testAccuracy: ev.accuracy, testLoss: ev.loss, stats: ev.stats, seconds: (performance.now() - t0) / 1000, hash: m.hash };
      if (o.json) process.stdout.write(JSON.stringify(out, null, 1) + '\n');
      else
        process.stdout.write(
          `${model.name} weights ${o.weights} (trained with ${m.recipe}, hash ${m.hash}) under ${recipe.name}: test accuracy ${pct(ev.accuracy)}, loss ${ev.loss.toFixed(4)} on ${test.n} samples; ` +
            `${count(ev.stats.macs)} MACs, ${count(ev.stats.overflows)} overflows, ${count(ev.stats.swamped)} swamped, ${out.seconds.toFixed(1)} s\n`,
        );
    });

  addTrainOptions(
    program.command('start').description('the main job (npm start): LeNet on the embedded MNIST digits under a hardware recipe and under the fp32 reference, then a table'),
    { recipe: 'hfp8', epochs: 1, trainLimit: 4000 },
  ).action((o: TrainCliOptions) => {
    const data = loadData(o);
    if (!o.json) {
      process.stdout.write(
        `bitexact main job: ${o.model} on ${data.train.name} (${o.trainLimit ?? data.train.n} training / ${o.testLimit ?? data.test.n} test digits), ${o.epochs} epoch(s), seed ${o.seed}.\n` +
          `Every multiply-accumulate of every forward, backward and weight-gradient GEMM runs through the recipe's MAC model, bit-exactly.\n\n`,
      );
    }
    const reports: RunReport[] = [];
    for (const recipe of [o.recipe, 'fp32']) {
      const oo = { ...o, recipe };
      reports.push(runTraining(oo, data, commandLine('train', oo)).report);
    }
    if (o.json) {
      process.stdout.write(JSON.stringify(reports, null, 1) + '\n');
      return;
    }
    process.stdout.write('\n' + reportTable(reports));
    const r = recipeByName(o.recipe);
    process.stdout.write(`\n${r.name}: ${r.description}\n  source: ${r.source}\n`);
    process.stdout.write('\nMACs, overflows, saturated and swamped count every MAC of training (forward + backward + gradient GEMMs);\n' +
      'swamped = a non-zero addend that left the accumulator unchanged. Same seed, same weight hash, on any machine.\n' +
      'More: `bitexact recipes`, `bitexact train --help`, docs/training.md, docs/results.md.\n');
  });
}
