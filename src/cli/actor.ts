/** Who the command line acts as in the audit log. */
import { hostname, userInfo } from 'node:os';

/** `cli:<os user>@<host>` (the user is `unknown` where the OS has no name for the process's uid). */
export function cliActor(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = 'unknown';
  }
  return `cli:${user || 'unknown'}@${hostname() || 'unknown-host'}`;
}
