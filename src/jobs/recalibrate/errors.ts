/** Errors of the recalibration job. */

/** Bad or missing input: names the file (and where known the row and field) and the reason. Exit code 2. */
export class RecalibrationInputError extends Error {
  override readonly name = 'RecalibrationInputError';
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}
