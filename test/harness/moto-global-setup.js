// Starts one moto server (server mode) on 127.0.0.1 and a free port for the integration tests.
// The pinned moto comes from .venv (installed by scripts/test.sh); a moto_server on PATH is only a fallback.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

module.exports = async function globalSetup() {
  if (process.env.MOTO_ENDPOINT) return; // an already running server, e.g. started by hand
  const root = path.resolve(__dirname, '..', '..');
  const venvBin = path.join(root, '.venv', 'bin', 'moto_server');
  let bin = venvBin;
  if (!fs.existsSync(venvBin)) {
    bin = 'moto_server';
    process.stderr.write('\n*** WARNING: .venv/bin/moto_server missing; falling back to moto_server on PATH ***\n\n');
  }
  const logFile = path.join(root, 'test', 'harness', '.moto.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', log, 'pipe'],
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`moto_server did not start in 60s: ${buf.slice(-500)}`)), 60000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start moto_server (${bin}): ${err.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited with ${code}: ${buf.slice(-500)}`));
    });
    child.stderr.on('data', (d) => {
      buf += d.toString();
      fs.writeSync(log, d);
      const m = buf.match(/Running on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(Number(m[1]));
      }
    });
  });
  // Keep draining stderr into the log so the server never blocks on a full pipe.
  child.stderr.removeAllListeners('data');
  child.stderr.on('data', (d) => fs.writeSync(log, d));
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (res.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  globalThis.__MOTO__ = child;
  process.env.MOTO_ENDPOINT = endpoint;
};
