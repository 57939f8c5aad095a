/**
 * Headless Chromium for the end-to-end test of the HTML report, through playwright-core (no browser
 * download: Debian's chromium, which `.ci/run` installs). A missing browser fails the test with a
 * message saying how to install it; it never skips.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { PNG } from 'pngjs'

export const chromiumPath = process.env['POLICY_CREDIT_CHROMIUM'] ?? '/usr/bin/chromium'

/** Flags for a browser that must not reach the network or keep state between runs. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A fresh browser with a fresh profile directory, removed on `close`. */
export const launchChromium = async (): Promise<{ readonly context: BrowserContext; readonly close: () => Promise<void> }> => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: the HTML report's end-to-end test needs it. ` +
        'Install it (Debian: apt-get install -y --no-install-recommends chromium) or set POLICY_CREDIT_CHROMIUM to its path.',
    )
  const userDataDirectory = mkdtempSync(join(tmpdir(), 'policy-credit-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDirectory, { executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(userDataDirectory, { recursive: true, force: true })
    },
  }
}

/** How many different colours a PNG screenshot holds: a blank page has one. */
export const distinctColours = (png: Buffer): number => {
  const image = PNG.sync.read(png)
  const colours = new Set<number>()
  for (let offset = 0; offset < image.data.length; offset += 4) colours.add(image.data.readUInt32BE(offset))
  return colours.size
}
