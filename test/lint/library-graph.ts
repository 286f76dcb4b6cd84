/**
 * The library graph: which library imports which, built from the import lines of every
 * production file under libs/ and apps/ (specs and test/ are left out: a test may reach into
 * what it tests without making the libraries depend on each other). Fails (exit 1) on a cycle
 * between libraries, naming one import per edge of it, and on a relative import that leaves its
 * library (that is a deep import eslint's alias rule cannot see).
 *
 * Run by `npm run lint`; `--print` lists the graph. Written here because no installed eslint
 * plugin (import, import-x, boundaries) can find cycles, and a ~100-line script is cheaper than
 * a new dependency.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '../..');

interface Library {
  name: string; // the alias: @mediator/core, @mediator/kinds/task; apps/<app> for an app
  dir: string; // relative to root, no trailing slash: libs/core, libs/kinds/task
}

/**
 * The libraries are the `paths` aliases of tsconfig.json (`@mediator/x` → `./libs/x/src`); a
 * wildcard over libraries (`@mediator/kinds/<kind>` → `./libs/kinds/<kind>/src`, one `paths`
 * entry) names one library per folder it covers. A target that ends in a wildcard is a library's
 * deep-import alias (`@mediator/core/<file>`), not a library.
 */
function libraries(): Library[] {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
  const paths = config.compilerOptions.paths as Record<string, string[]>;
  const libs = Object.entries(paths)
    .filter(([, [target]]) => !target.endsWith('/*'))
    .flatMap(([alias, [target]]) => {
      const dir = path.posix.dirname(path.posix.normalize(target));
      if (!alias.endsWith('/*')) return [{ name: alias, dir }];
      const parent = path.posix.dirname(dir); // libs/kinds, the folder the wildcard stands in
      return fs
        .readdirSync(path.join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => ({
          name: alias.replace('*', entry.name),
          dir: dir.replace('*', entry.name),
        }));
    });
  const apps = fs
    .readdirSync(path.join(root, 'apps'))
    .map((app) => ({ name: `apps/${app}`, dir: `apps/${app}` }));
  // Longest directory first, so libs/kinds/task wins over a shorter prefix.
  return [...libs, ...apps].sort((a, b) => b.dir.length - a.dir.length);
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'dist', 'generated'].includes(entry.name))
        files.push(...sourceFiles(full));
    } else if (/\.ts$/.test(entry.name) && !/\.(spec|e2e-spec|int-spec)\.ts$/.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

function owner(libs: Library[], file: string): Library | undefined {
  const relative = path.relative(root, file).split(path.sep).join('/');
  return libs.find((lib) => relative.startsWith(`${lib.dir}/`));
}

/** The library an import specifier names: `@mediator/kinds/task/x` → `@mediator/kinds/task`. */
function importedLibrary(libs: Library[], specifier: string): Library | undefined {
  return libs.find((lib) => specifier === lib.name || specifier.startsWith(`${lib.name}/`));
}

type Graph = Map<string, Map<string, string>>; // from → to → one importing file, as evidence

export function buildGraph(): { graph: Graph; escapes: string[] } {
  const libs = libraries();
  const graph: Graph = new Map(libs.map((lib) => [lib.name, new Map()]));
  const escapes: string[] = [];
  for (const file of [
    ...sourceFiles(path.join(root, 'libs')),
    ...sourceFiles(path.join(root, 'apps')),
  ]) {
    const from = owner(libs, file);
    if (!from) continue;
    const imports = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles;
    for (const { fileName: specifier } of imports) {
      let to: Library | undefined;
      if (specifier.startsWith('.')) {
        to = owner(libs, path.resolve(path.dirname(file), specifier));
        if (to && to !== from) escapes.push(`${path.relative(root, file)}: '${specifier}'`);
      } else {
        to = importedLibrary(libs, specifier);
      }
      if (to && to !== from && !graph.get(from.name)!.has(to.name)) {
        graph.get(from.name)!.set(to.name, path.relative(root, file));
      }
    }
  }
  return { graph, escapes };
}

/** Tarjan's strongly connected components; a component of more than one library is a cycle. */
export function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)!.keys()) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

function main(): void {
  const { graph, escapes } = buildGraph();
  if (process.argv.includes('--print')) {
    for (const [from, targets] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`${from} → ${[...targets.keys()].sort().join(', ') || '(nothing)'}`);
    }
  }
  const found = cycles(graph);
  for (const component of found) {
    console.error(`Cycle between libraries: ${component.join(', ')}`);
    for (const from of component) {
      for (const [to, file] of graph.get(from)!) {
        if (component.includes(to)) console.error(`  ${from} → ${to} (${file})`);
      }
    }
  }
  for (const escape of escapes) {
    console.error(`Relative import into another library (import its @mediator alias): ${escape}`);
  }
  if (found.length > 0 || escapes.length > 0) process.exit(1);
}

if (require.main === module) main();
