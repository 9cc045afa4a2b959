/** Output sinks and the bad-input error shared by the CLI commands. */

/** Where a command writes its lines (the process streams, or a test's arrays). */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Bad input to a command (a missing or malformed file, an unknown run, a refused promotion): exit code 2 with the
 * message. `details` (JSON-able) go into the `--json` error document, e.g. the failing gates of a refused promotion.
 */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
  constructor(
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}
