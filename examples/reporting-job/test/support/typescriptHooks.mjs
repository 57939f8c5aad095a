// Module hooks that let `node` run the job's TypeScript sources directly (Node 20 cannot strip types):
// the end-to-end tests spawn the job from `src`, exactly as it is, with no build step to go stale.
// Each .ts file is transpiled on its own, which is sound because the sources use `import type` for types
// (verbatimModuleSyntax); workspace packages resolve to their sources through the
// "@policy-credit/source" export condition, passed as `--conditions`. Transpiled files are cached by
// content hash, so the many processes a test starts do not each load TypeScript.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const cacheDirectory = join(tmpdir(), 'policy-credit-reporting-job-ts')
let typescript

const transpile = async (url, source) => {
  typescript ??= (await import('typescript')).default
  return typescript.transpileModule(source, {
    fileName: new URL(url).pathname,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      inlineSourceMap: true,
    },
  }).outputText
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context)
  const source = await readFile(new URL(url), 'utf8')
  const cached = join(cacheDirectory, `${createHash('sha256').update(url).update('\0').update(source).digest('hex')}.js`)
  const hit = await readFile(cached, 'utf8').catch(() => undefined)
  if (hit !== undefined) return { format: 'module', source: hit, shortCircuit: true }
  const output = await transpile(url, source)
  await mkdir(cacheDirectory, { recursive: true })
  // Written aside and renamed: processes starting together never read a half-written file.
  const partial = `${cached}.${process.pid}.tmp`
  await writeFile(partial, output)
  await rename(partial, cached)
  return { format: 'module', source: output, shortCircuit: true }
}
