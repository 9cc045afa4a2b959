/** Jobs: stress batches (and, with the jobs issue, the recalibration pipeline). */
export * from './venueMargins.ts';
export * from './progress.ts';
export * from './recalibrate/index.ts';
export { createProcessLauncher, LaunchRequestError, type ProcessLauncherOptions } from './launch.ts';
