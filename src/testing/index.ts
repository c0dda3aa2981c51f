/**
 * Property-based testing support: fast-check arbitraries for every format (`bitexact/testing`).
 */
export { codeArb, finiteCodeArb, nearTieArb, specialCodes, floatFormatArb, valueArb, type FloatFormatArbOptions } from './arbitraries.js';
