// `node deploy/collect-runtime.js <app> <out>`: copies what the app needs at run time into <out>, laid
// out as in the repository — its package.json and dist/, and the same of every workspace library it
// depends on (transitively, from the "dependencies" of each package.json; devDependencies such as
// @rocketmq-shop/testing stay out). The Dockerfile's runtime stage copies <out> and nothing else.
const { cpSync, existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const [app, out] = process.argv.slice(2);
if (!app || !out) throw new Error('usage: node deploy/collect-runtime.js <app folder> <out dir>');

const root = join(__dirname, '..');
const folderOf = (name) => ['apps', 'libs'].map((dir) => join(dir, name.replace('@rocketmq-shop/', ''))).find((dir) => existsSync(join(root, dir, 'package.json')));

const seen = new Set();
function collect(folder) {
  if (seen.has(folder)) return;
  seen.add(folder);
  const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
  for (const file of ['package.json', 'dist']) cpSync(join(root, folder, file), join(out, folder, file), { recursive: true });
  for (const name of Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith('@rocketmq-shop/'))) collect(folderOf(name));
}
collect(join('apps', app));
// The broker reads its topics and groups from here (BROKER_CONFIG in docker-compose.yml).
if (app === 'broker') cpSync(join(root, 'deploy/broker.json'), join(out, 'deploy/broker.json'));
process.stdout.write(`${[...seen].join('\n')}\n`);
