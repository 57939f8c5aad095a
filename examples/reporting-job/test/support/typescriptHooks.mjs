// Module hooks that let `node` run the job's TypeScript sources directly (Node 20 cannot strip types):
// the end-to-end tests spawn the job from `src`, exactly as it is, with no build step to go stale.
// Each .ts file is transpiled on its own, which is sound because the sources use `import type` for types
// (verbatimModuleSyntax); workspace packages resolve to their sources through the
// "@policy-credit/source" export condition, passed as `--conditions`.
import { readFile } from 'node:fs/promises'
import ts from 'typescript'

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context)
  const source = await readFile(new URL(url), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    fileName: new URL(url).pathname,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false, inlineSourceMap: true },
  })
  return { format: 'module', source: outputText, shortCircuit: true }
}
