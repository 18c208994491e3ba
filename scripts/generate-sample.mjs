// Generates examples/config-snapshot.json, the sample `ward scan` reads by default, from the fragments in
// examples/sample-account/*.json (each a JSON array of configuration items in the snapshot form, owned by the
// engineer of one rule). Fragments are taken in file-name order; a duplicate resourceType+resourceId fails.
// The output is deterministic (no clock), so a test can check that it is in step with its fragments.
//
// Usage: node scripts/generate-sample.mjs [--out FILE] [--check] [--fragments DIR]
//   --check  exit 1 when the existing output differs from what the fragments give (nothing is written)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fragmentsDir = join(root, 'examples', 'sample-account');

const REQUIRED = ['resourceType', 'resourceId', 'awsAccountId', 'awsRegion', 'configurationItemStatus'];

function fail(message) {
  process.stderr.write(`generate-sample: ${message}\n`);
  process.exit(1);
}

/** The snapshot built from the fragments, as the text written to disk. */
export function buildSample(dir = fragmentsDir) {
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  const items = [];
  const seen = new Map();
  for (const name of files) {
    const path = join(dir, name);
    let fragment;
    try {
      fragment = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`${relative(root, path)}: not valid JSON (${err.message})`);
    }
    if (!Array.isArray(fragment))
      throw new Error(`${relative(root, path)}: expected a JSON array of configuration items`);
    fragment.forEach((item, i) => {
      const where = `${relative(root, path)} item ${i}`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error(`${where}: not an object`);
      for (const key of REQUIRED) {
        if (typeof item[key] !== 'string' || item[key] === '') throw new Error(`${where}: missing ${key}`);
      }
      const key = `${item.resourceType}|${item.resourceId}`;
      if (seen.has(key)) {
        throw new Error(`${where}: duplicate ${item.resourceType} ${item.resourceId} (also in ${seen.get(key)})`);
      }
      seen.set(key, where);
      items.push(item);
    });
  }
  const snapshot = {
    fileVersion: '1.0',
    configSnapshotId: 'a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    configurationItems: items,
  };
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : join(root, 'examples', 'config-snapshot.json');
  const fragmentsAt = args.indexOf('--fragments');
  let text;
  try {
    text = buildSample(fragmentsAt >= 0 ? args[fragmentsAt + 1] : fragmentsDir);
  } catch (err) {
    fail(err.message);
  }
  if (args.includes('--check')) {
    if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
      fail(
        `${relative(root, out)} is not in step with examples/sample-account/*.json; run node scripts/generate-sample.mjs`,
      );
    }
  } else {
    writeFileSync(out, text);
    const count = JSON.parse(text).configurationItems.length;
    process.stdout.write(`generate-sample: ${relative(root, out) || out} (${count} configuration items)\n`);
  }
}
