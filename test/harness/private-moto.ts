/**
 * A moto server of a test file's own, for tests that change server-wide settings (IAM authorization through
 * /moto-api/reset-auth) which would break the other files sharing the global server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A running private moto server. */
export interface PrivateMoto {
  readonly endpoint: string;
  /** From now on moto checks every request's credentials and IAM policies (after `freeRequests` more). */
  enforceIam(freeRequests?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts moto_server on 127.0.0.1 and a free port. */
export async function startPrivateMoto(): Promise<PrivateMoto> {
  const root = resolve(__dirname, '..', '..');
  const venv = join(root, '.venv', 'bin', 'moto_server');
  const bin = existsSync(venv) ? venv : 'moto_server';
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' },
  });
  const port = await new Promise<number>((ok, fail) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error(`moto_server did not start: ${buf.slice(-300)}`)), 60_000);
    child.on('exit', (code) => fail(new Error(`moto_server exited with ${code}: ${buf.slice(-300)}`)));
    child.stderr?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        ok(Number(m[1]));
      }
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    async enforceIam(freeRequests = 0) {
      const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: String(freeRequests) });
      if (!res.ok) throw new Error(`reset-auth failed: ${res.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    },
  };
}
