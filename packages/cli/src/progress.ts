/**
 * A progress bar for long work (imports, projections catching up), drawn on stderr only when stderr
 * is a terminal: in a pipe, a file or CI it prints nothing, so logs and redirected output stay clean.
 * A few lines on `isTTY` rather than a dependency; redraws are throttled so a fast loop is not slowed
 * by the terminal.
 */
import type { TerminalSink } from './cliIo.ts'

export interface Progress {
  /** Moves the bar to `done` items of the total. */
  readonly update: (done: number) => void
  /** Removes the bar from the screen, so that a line printed next is not drawn over it; the next update redraws it. */
  readonly clear: () => void
  /** Draws the final state and ends the line. */
  readonly finish: () => void
}

const REDRAW_INTERVAL_MILLISECONDS = 100
const BAR_WIDTH = 30

const silent: Progress = { update: () => undefined, clear: () => undefined, finish: () => undefined }

export const progressBar = (stream: TerminalSink, label: string, total: number, now: () => number = Date.now): Progress => {
  if (stream.isTTY !== true || total <= 0) return silent
  let lastDrawn = Number.NEGATIVE_INFINITY
  let current = 0
  let onScreen = false
  const draw = (): void => {
    const fraction = Math.min(current / total, 1)
    const filled = Math.round(fraction * BAR_WIDTH)
    const percent = Math.floor(fraction * 100)
    // \r back to the start of the line, \x1b[K clears what a longer earlier line left behind.
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${current}/${total} ${percent}%\x1b[K`)
    lastDrawn = now()
    onScreen = true
  }
  return {
    update: (done) => {
      current = done
      if (now() - lastDrawn >= REDRAW_INTERVAL_MILLISECONDS) draw()
    },
    clear: () => {
      if (!onScreen) return
      stream.write('\r\x1b[K')
      onScreen = false
      lastDrawn = Number.NEGATIVE_INFINITY
    },
    finish: () => {
      draw()
      stream.write('\n')
    },
  }
}
