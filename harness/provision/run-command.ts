import { spawn } from 'node:child_process';
import { HarnessError } from '../errors';

/** Runs a set-up command (argument array, no shell) and rejects with the tail of its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; what: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new HarnessError(`${options.what}: could not run ${command}`, { cause: error })));
    child.on('close', (code) => {
      if (code === 0) return resolve(output);
      const tail = output.trim().split('\n').slice(-15).join('\n');
      reject(new HarnessError(`${options.what} failed (${command} exited ${code}):\n${tail}`));
    });
  });
}
