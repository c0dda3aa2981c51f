/**
 * Networks on bit-exact arithmetic (issue 4): layers, models, precision policies and recipes,
 * softmax cross-entropy, training and evaluation, weight files.
 */
export { RunEnv, Dense, Conv2d, Relu, MaxPool2d, AvgPool2d, Flatten, ParamLayer, type Layer, type Param, type GemmRole } from './layers.js';
export { Model, buildModel, MODEL_NAMES } from './model.js';
export { layerPrecision, gemmMacSpec, seqGemm, type GemmSpec, type Precision, type UpdatePolicy, type LossScaling, type Recipe } from './policy.js';
export { RECIPES, recipeByName, fp32Reference, hfp8, micikevicius, twoPhase } from './recipes.js';
export { softmaxCrossEntropy, type LossResult } from './loss.js';
export { loadWeights, serializeWeights, weightsHash, type WeightsMeta } from "./weights-io.js";
export { train, evaluate, epochOrder, recipeAt, type TrainOptions, type TrainResult, type EpochSummary, type StepInfo } from './train.js';
export { detExp, detLog } from './det-math.js';
export { hashTensors, Fnv64 } from './hash.js';
export { calibrateInt8, int8Recipe, int8For } from './int8.js';
