import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of the layout (issue 13), read from the source with the TypeScript parser:
 * the core knows no configuration, environment or channel; only the composition root (src/main.ts)
 * reads the configuration and wires the register, the scheduler and the configuration once; and
 * the areas of src/ import each other without cycles.
 */

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

interface Import {
  /** The importing file, relative to src/ ('core/reminders/select.ts'). */
  from: string;
  /** The imported module: a file relative to src/, or the package or node: specifier as written. */
  to: string;
  local: boolean;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const FILES = sourceFiles(SRC).map((path) => ({
  path: relative(SRC, path),
  text: readFileSync(path, 'utf8'),
}));

/** Every static import and re-export, and every `import('…')` with a literal specifier. */
function importsOf(file: { path: string; text: string }): Import[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const local = specifier.startsWith('.');
    // Sources import each other by their emitted name (`./x.js`); the file is `./x.ts`.
    const to = local
      ? relative(SRC, resolve(SRC, dirname(file.path), specifier)).replace(/\.js$/, '.ts')
      : specifier;
    found.push({ from: file.path, to, local, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = Boolean(
        clause?.isTypeOnly ||
          (clause &&
            !clause.name &&
            clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)),
      );
      add(node.moduleSpecifier.text, typeOnly);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const IMPORTS = FILES.flatMap(importsOf);

/**
 * The area a file belongs to: a folder of the core or of the channels (`core/policy`,
 * `channels/slack`), `store`, or the file itself for one at a top level (`config`, `core/errors`).
 */
function areaOf(path: string): string {
  const parts = path.replace(/\.ts$/, '').split('/');
  if ((parts[0] === 'core' || parts[0] === 'channels') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  if (parts[0] === 'store') return 'store';
  return parts.join('/');
}

/** The strongly connected components of more than one node (Tarjan): each is an import cycle. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}

describe('the core', () => {
  const core = IMPORTS.filter((i) => i.from.startsWith('core/'));

  it('is read from the source (a scan that finds nothing proves nothing)', () => {
    expect(FILES.filter((f) => f.path.startsWith('core/')).length).toBeGreaterThan(50);
    expect(core.filter((i) => i.local).length).toBeGreaterThan(100);
  });

  it('imports no configuration, environment file, channel, store adapter or composition root', () => {
    const forbidden = core.filter(
      (i) =>
        i.local &&
        (i.to === 'config.ts' ||
          i.to === 'env-file.ts' ||
          i.to === 'main.ts' ||
          i.to === 'index.ts' ||
          i.to.startsWith('channels/') ||
          i.to.startsWith('store/')),
    );
    expect(forbidden.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('imports nothing outside src/core but the Logger type', () => {
    const outside = core.filter(
      (i) => i.local && !i.to.startsWith('core/') && !(i.to === 'logger.ts' && i.typeOnly),
    );
    expect(outside.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('reads no environment variable', () => {
    const readers = FILES.filter((f) => f.path.startsWith('core/') && /\bprocess\.env\b/.test(code(f.text)));
    expect(readers.map((f) => f.path)).toEqual([]);
  });

  it('holds no platform address form (Slack ids live in src/channels/slack/address.ts)', () => {
    // A Slack user id pattern, `^[UW]…`, as select.ts held before the composition root.
    const slackIds = FILES.filter((f) => f.path.startsWith('core/') && /\[UW\]/.test(code(f.text)));
    expect(slackIds.map((f) => f.path)).toEqual([]);
  });
});

describe('the composition root', () => {
  it('is the only importer of the configuration', () => {
    const importers = IMPORTS.filter((i) => i.local && i.to === 'config.ts').map((i) => i.from);
    expect([...new Set(importers)]).toEqual(['main.ts']);
  });

  it('is the only reader of process.env, with the process entry that hands it over', () => {
    const readers = FILES.filter((f) => /\bprocess\.env\b/.test(code(f.text))).map((f) => f.path);
    expect(readers.sort()).toEqual(['index.ts', 'main.ts']);
  });

  // Each row: the call, and the file that defines it (which may name it too).
  it.each([
    ['loadConfig(', /\bloadConfig\(/, 'config.ts'],
    ['Register.open(', /\bRegister\.open\(/, 'core/requests/register.ts'],
    ['new Scheduler(', /\bnew Scheduler\(/, 'core/reminders/scheduler.ts'],
    ['openRegisterStore(', /\bopenRegisterStore\(/, 'store/register-store.ts'],
  ])('calls %s in one place', (_, pattern, definer) => {
    const callers = FILES.filter((f) => f.path !== definer && pattern.test(code(f.text))).map((f) => f.path);
    expect(callers).toEqual(['main.ts']);
  });
});

describe('the areas of src/', () => {
  it('import each other without cycles', () => {
    const graph = new Map<string, Set<string>>();
    for (const i of IMPORTS.filter((x) => x.local)) {
      const [from, to] = [areaOf(i.from), areaOf(i.to)];
      if (!graph.has(from)) graph.set(from, new Set());
      if (from !== to) graph.get(from)!.add(to);
    }
    expect(graph.size).toBeGreaterThan(15);
    expect(cycles(graph)).toEqual([]);
  });

  it('a cycle would be found', () => {
    const graph = new Map([
      ['core/policy', new Set(['core/conversation'])],
      ['core/conversation', new Set(['core/requests', 'core/policy'])],
      ['core/requests', new Set<string>()],
    ]);
    expect(cycles(graph)).toEqual([['core/conversation', 'core/policy']]);
  });
});

/** Source text without comments, so a doc comment naming a rule does not count as breaking it. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
