import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGE_DIR = join(__dirname, '..', '..');
const PACKAGE_NAME = '@rocketmq-shop/rocketmq-transport';
/** What `nest new` installs for an HTTP app; the README lists what the transport adds. */
const NEST_NEW_DEPENDENCIES = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', 'reflect-metadata', 'rxjs', 'typescript', '@types/node'];
/** Folders of `src` the README says to leave out when their part is not used. */
const OPTIONAL_FOLDERS = ['health', 'outbox', 'idempotency'];

/** The quick start's files: each ```ts block of the README that starts with `// src/<file>.ts`. */
export async function quickStartFiles(): Promise<Map<string, string>> {
  const readme = await readFile(join(PACKAGE_DIR, 'README.md'), 'utf8');
  const files = new Map<string, string>();
  for (const [, path, body] of readme.matchAll(/```ts\n\/\/ (src\/[\w.-]+\.ts)\n([\s\S]*?)```/g)) files.set(path, body);
  if (!files.has('src/main.ts')) throw new Error('the README has no quick start main.ts');
  return files;
}

/** The core's install line of the README (`npm install …` in a sh block), as package names. */
async function readmeDependencies(): Promise<string[]> {
  const readme = await readFile(join(PACKAGE_DIR, 'README.md'), 'utf8');
  const line = /```sh\nnpm install ([^\n]+)\n```/.exec(readme)?.[1];
  if (!line) throw new Error('the README has no core install line');
  return line.split(' ').map((spec) => spec.replace(/(?<=.)@[^@]*$/, ''));
}

/** The workspace's installed version, so the install is served from the npm cache. */
async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(PACKAGE_DIR, '..', '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** The apps the smoke runs, each a directory with its own tsconfig and the quick start's files. */
export interface SmokeApps {
  packageApp: string;
  copyApp: string;
  esmApp: string;
}

/**
 * An ESM app's settings: `"type": "module"` and the module options a user switches to in the tsconfig
 * `nest new` generates. Relative imports then name their `.js` file, as Node's ESM resolution wants.
 */
const ESM = {
  manifest: { type: 'module' },
  compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
  rewrite: (body: string) => body.replace(/from '(\.\/[^']+)'/g, "from '$1.js'"),
};

/**
 * A directory with the README's dependencies and the packed package installed, and three apps in it:
 * `package-app` importing the package, `copy-app` with a copy of `src` minus the optional folders,
 * both with the tsconfig `nest new` generates (CommonJS), and `esm-app` importing the package from ESM.
 */
export async function prepareApps(root: string): Promise<SmokeApps> {
  const { stdout } = await run('npm', ['pack', '--pack-destination', root, '--silent'], { cwd: PACKAGE_DIR });
  const tarball = stdout.trim().split('\n').pop() as string;
  const names = [...NEST_NEW_DEPENDENCIES, ...(await readmeDependencies())];
  const dependencies = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await installedVersion(name)] as const)));
  const manifest = { name: 'smoke-apps', private: true, dependencies: { ...dependencies, [PACKAGE_NAME]: `file:./${tarball}` } };
  await writeFile(join(root, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: root });

  const files = await quickStartFiles();
  const tsconfig = await readFile(join(__dirname, 'nest-new-tsconfig.json'), 'utf8');
  const esmTsconfig = JSON.parse(tsconfig) as { compilerOptions: object };
  esmTsconfig.compilerOptions = { ...esmTsconfig.compilerOptions, ...ESM.compilerOptions };
  const packageApp = join(root, 'package-app');
  const copyApp = join(root, 'copy-app');
  const esmApp = join(root, 'esm-app');
  for (const [app, appTsconfig, rewrite] of [
    [packageApp, tsconfig, (body: string) => body],
    [copyApp, tsconfig, (body: string) => body.replaceAll(`'${PACKAGE_NAME}'`, "'./rocketmq-transport'")],
    [esmApp, JSON.stringify(esmTsconfig, null, 2), ESM.rewrite],
  ] as const) {
    await mkdir(join(app, 'src'), { recursive: true });
    await writeFile(join(app, 'tsconfig.json'), appTsconfig);
    for (const [path, body] of files) await writeFile(join(app, path), rewrite(body));
  }
  await writeFile(join(esmApp, 'package.json'), JSON.stringify({ name: 'esm-app', private: true, ...ESM.manifest }, null, 2));
  await cp(join(PACKAGE_DIR, 'src'), join(copyApp, 'src', 'rocketmq-transport'), {
    recursive: true,
    filter: (source) => !OPTIONAL_FOLDERS.some((folder) => source === join(PACKAGE_DIR, 'src', folder)),
  });
  return { packageApp, copyApp, esmApp };
}

/** `tsc -p app` with the TypeScript installed for the apps; rejects with the compiler's output. */
export async function compile(root: string, app: string): Promise<void> {
  await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app }).catch((error: { stdout?: string }) => {
    throw new Error(`${app} does not compile:\n${error.stdout ?? String(error)}`);
  });
}

/** Every .spec.ts under a directory (there must be none in src). */
export async function specFilesIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true });
  return entries.filter((entry) => entry.endsWith('.spec.ts'));
}
