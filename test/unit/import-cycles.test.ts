import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

/**
 * No import circles in src/: a circle makes the order in which modules initialise depend on which one is
 * loaded first (a `const` read before its module ran is a TDZ error only on some paths), and it glues
 * folders together. The graph holds every import of a relative path: `import ... from`, `export ... from`,
 * `import('...')`, and the type-only forms too (`import type`, `typeof import('...')`): tsc erases those, but
 * they tie two files together all the same (login.ts <-> login-modes.ts was such a circle).
 */

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src')

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return listSources(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** The relative module specifiers a TypeScript source imports, type-only imports included. */
export function readImports(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found.filter((specifier) => specifier.startsWith('.'))
}

/** Every circle in a graph (file -> files it imports), each named once as `a -> b -> ... -> a`. */
export function findCycles(graph: Map<string, string[]>): string[] {
  const cycles = new Set<string>()
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const walk = (node: string): void => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const ring = stack.slice(stack.indexOf(next))
        const start = ring.indexOf([...ring].sort()[0])
        const rotated = [...ring.slice(start), ...ring.slice(0, start)]
        cycles.add([...rotated, rotated[0]].join(' -> '))
      } else if (!state.has(next)) {
        walk(next)
      }
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) walk(node)
  return [...cycles].sort()
}

function readSourceGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of listSources(srcDir)) {
    const name = relative(srcDir, file)
    const targets = readImports(file, readFileSync(file, 'utf8')).map((specifier) =>
      relative(srcDir, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts'),
    )
    graph.set(name, [...new Set(targets)])
  }
  return graph
}

describe('import circles', () => {
  it('src/ has none (imports, re-exports, dynamic and type-only imports of relative paths)', () => {
    const graph = readSourceGraph()
    assert.ok(graph.size > 50, `expected the whole of src/, read ${graph.size} files`)
    assert.ok(graph.get('session/access-token.ts')?.includes('session/refresh.ts'), 'dynamic imports are part of the graph')
    assert.deepEqual(findCycles(graph), [])
  })

  it('names a circle that closes through a dynamic import, once, from its first file', () => {
    const graph = new Map([
      ['b.ts', ['c.ts']],
      ['a.ts', ['b.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
    ])
    assert.deepEqual(findCycles(graph), ['a.ts -> b.ts -> c.ts -> a.ts'])
    assert.deepEqual(findCycles(new Map([['x.ts', ['x.ts']]])), ['x.ts -> x.ts'])
    assert.deepEqual(findCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']], ['c.ts', ['a.ts']]])), ['a.ts -> b.ts -> a.ts'])
  })

  it('reads imports, re-exports, import() and type imports of relative paths; skips packages', () => {
    const text = [
      "import {a} from './a.js'",
      "import type {B} from './b.js'",
      "import {type C} from './c.js'",
      "import {type D, d} from './d.js'",
      "export {e} from './e.js'",
      "export type {F} from './f.js'",
      "export * from './g.js'",
      "import './h.js'",
      "import chalk from 'chalk'",
      "type T = typeof import('./t.js')",
      "const lazy = () => import('./i.js')",
      "const pkg = () => import('openid-client')",
    ].join('\n')
    assert.deepEqual(readImports('x.ts', text), ['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js', './h.js', './t.js', './i.js'])
  })
})
