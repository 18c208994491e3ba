module.exports = async function globalTeardown() {
  const child = globalThis.__MOTO__;
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        r();
      }, 5000);
      child.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
};
