import { spawn, type ChildProcess } from 'node:child_process';

/** A command started by a test: what it has written so far, and how it ended. */
export interface Command {
  stdout: string;
  stderr: string;
  /** Complete lines written to stdout so far. */
  lines(): string[];
  /** The exit code, or null when a signal ended it. */
  exited: Promise<number | null>;
  child: ChildProcess;
  /** Ctrl-C: SIGINT to the command's process group, children included (npx runs one). */
  interrupt(): void;
  /** Ends the command's process group at once, unless it has exited. */
  kill(): Promise<void>;
}

export interface CommandOptions {
  cwd?: string;
  /** The whole environment of the command, so that nothing of the test's own leaks into it. */
  env?: Record<string, string>;
  /** `pipe` to write to its standard input (`child.stdin`); none by default. */
  stdin?: 'pipe' | 'ignore';
}

/** Starts `file` with `args` in a process group of its own, its output collected. */
export function startCommand(
  file: string,
  args: string[],
  { cwd, env = { PATH: process.env.PATH ?? '' }, stdin = 'ignore' }: CommandOptions = {},
): Command {
  const child = spawn(file, args, { cwd, env, stdio: [stdin, 'pipe', 'pipe'], detached: true });
  const group = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, signal);
    }
  };
  const command: Command = {
    stdout: '',
    stderr: '',
    lines: () => command.stdout.split('\n').slice(0, -1),
    exited: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    }),
    child,
    interrupt: () => group('SIGINT'),
    kill: async () => {
      group('SIGKILL');
      await command.exited.catch(() => undefined);
    },
  };
  child.stdout?.on('data', (chunk: Buffer) => (command.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (command.stderr += chunk.toString()));
  return command;
}

/** Runs `file` to its end; rejects, with its output, when it fails or outlasts `timeoutMs`. */
export async function runCommand(
  file: string,
  args: string[],
  options: CommandOptions & { timeoutMs: number },
): Promise<Command> {
  const command = startCommand(file, args, options);
  const timer = setTimeout(() => void command.kill(), options.timeoutMs);
  const code = await command.exited.finally(() => clearTimeout(timer));
  if (code !== 0) {
    throw new Error(
      `${file} ${args.join(' ')} exited ${code ?? 'on a signal'}:\n${command.stdout}\n${command.stderr}`,
    );
  }
  return command;
}
