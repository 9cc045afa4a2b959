/**
 * Opening a written file (the HTML report) in the system's viewer: `open` on macOS, `cmd /c start` on Windows,
 * `xdg-open` elsewhere. The viewer is launched detached and never waited for; a missing opener is a result
 * (`opened: false` with the reason), not an error, so `report --open` still succeeds on a headless machine.
 */
import { spawn } from 'node:child_process';

/** What an attempt to open a file did. */
export interface OpenFileResult {
  readonly opened: boolean;
  /** The command that was launched (or tried). */
  readonly command: string;
  /** Why it could not be launched (e.g. 'ENOENT: xdg-open not found'), when `opened` is false. */
  readonly reason?: string;
}

/** The opener command and its arguments for `path` on `platform` (a process.platform value). */
export function systemOpener(platform: string, path: string): { readonly command: string; readonly args: readonly string[] } {
  if (platform === 'darwin') return { command: 'open', args: [path] };
  // `start` is a cmd built-in; its first quoted argument is the window title
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', path] };
  return { command: 'xdg-open', args: [path] };
}

/**
 * Launches `command args` detached (stdio ignored, not waited for) and resolves once it has started or failed to
 * start. Default command: the system opener of `process.platform` for `path`.
 */
export function openWithSystemViewer(
  path: string,
  options: { readonly platform?: string; readonly command?: string; readonly args?: readonly string[] } = {},
): Promise<OpenFileResult> {
  const opener = systemOpener(options.platform ?? process.platform, path);
  const command = options.command ?? opener.command;
  const args = options.command === undefined ? opener.args : (options.args ?? [path]);
  return new Promise((resolveResult) => {
    let child;
    try {
      child = spawn(command, [...args], { detached: true, stdio: 'ignore', windowsHide: true });
    } catch (error) {
      resolveResult({ opened: false, command, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      resolveResult({ opened: false, command, reason: error.code === 'ENOENT' ? `ENOENT: ${command} not found` : error.message });
    });
    child.once('spawn', () => {
      child.unref();
      resolveResult({ opened: true, command });
    });
  });
}
