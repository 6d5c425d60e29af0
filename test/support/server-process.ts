import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/app-version.js';

/** Builds dist/ if the sources are newer (as `npm start` does). */
export function buildIfNeeded(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts/build-if-needed.mjs')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the output matches (or rejects after timeoutMs / on exit). */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/** Runs the built server (`node dist/src/main.js`, what `npm start` runs) with exactly the given environment. */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/src/main.js')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    for (const listener of listeners) listener();
    resolve(code);
  }));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = output.match(pattern);
        if (match) return done(() => resolve(match));
        if (child.exitCode !== null) done(() => reject(new Error(`server exited (${child.exitCode}) before ${pattern}:\n${output}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${pattern}:\n${output}`))), timeoutMs);
      const done = (finish: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        finish();
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => output, waitFor, exited };
}

/** A TCP port free on 127.0.0.1 right now (for a child server or a second database). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` every 100 ms until it gives a truthy value (errors count as not yet); rejects naming `what` after timeoutMs. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check().catch(() => undefined);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
