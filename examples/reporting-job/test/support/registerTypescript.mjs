import { register } from 'node:module'

register('./typescriptHooks.mjs', import.meta.url)
