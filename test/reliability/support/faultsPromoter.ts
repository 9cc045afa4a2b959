/**
 * Child process of the promotion race tests: the `aftershock` command line (src/cli/main.ts `run`, what
 * bin/aftershock.js runs) kept loaded, so that two processes can be told to run a command at the same instant.
 * Each stdin line is a JSON array of arguments (e.g. ["--db", target, "--json", "promote", id]); each is run as
 * one invocation and answered with one stdout line `{"code":n,"out":[...],"err":[...]}`.
 */
import { createInterface } from 'node:readline';
import { run } from '../../../src/cli/main.ts';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const argv = JSON.parse(line) as string[];
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  process.stdout.write(`${JSON.stringify({ code, out, err })}\n`);
}
