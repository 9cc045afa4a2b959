/** Small dense linear-algebra kernels over row-major Float64Array. */
export * from './invertSymmetricPositive.ts';
export * from './multiplyTransposed.ts';
