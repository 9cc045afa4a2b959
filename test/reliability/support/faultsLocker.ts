/**
 * Child process of the SQLite fault tests: another process holding the store's file locked. Reads commands on
 * stdin, one per line: `lock` takes an exclusive transaction (BEGIN EXCLUSIVE plus a write, so the lock is the
 * writer's) and answers `locked`; `release` rolls it back and answers `released`; `exit` ends the process.
 * argv[2] is the SQLite file.
 */
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';

const file = process.argv[2] as string;
const db = new Database(file, { timeout: 10_000 });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = line.trim();
  if (command === 'lock') {
    db.exec('BEGIN EXCLUSIVE');
    db.exec("UPDATE active_calibration SET changed_at = changed_at WHERE id = 1");
    process.stdout.write('locked\n');
  } else if (command === 'release') {
    if (db.inTransaction) db.exec('ROLLBACK');
    process.stdout.write('released\n');
  } else if (command === 'exit') {
    break;
  }
}
if (db.inTransaction) db.exec('ROLLBACK');
db.close();
