import { spawnSync } from 'node:child_process';

/** The crash tests run the shipped bundle as a child process: build it first. */
export default function setup(): void {
  const result = spawnSync(process.execPath, ['scripts/build/build.ts', 'service'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the service bundle failed');
}
