import { describe, expect, it } from 'vitest'
import { progressBar } from '../src/progress.ts'

const sink = (isTTY: boolean) => {
  let written = ''
  return { write: (text: string) => void (written += text), isTTY, written: () => written }
}

describe('progress bar', () => {
  it('draws on a terminal and ends with the full count on its own line', () => {
    const terminal = sink(true)
    let clock = 0
    const bar = progressBar(terminal, 'import', 200, () => clock)
    for (let done = 1; done <= 200; done++) {
      clock += 10
      bar.update(done)
    }
    bar.finish()
    const frames = terminal.written().split('\r').filter((frame) => frame !== '')
    // One redraw per 100 ms of a 2 s run, plus the final one: throttled, not one per item.
    expect(frames.length).toBeGreaterThan(5)
    expect(frames.length).toBeLessThan(30)
    expect(frames.at(-1)).toMatch(/^import \[#{30}\] 200\/200 100%\x1b\[K\n$/)
  })

  it('prints nothing at all into a pipe or a file', () => {
    const pipe = sink(false)
    const bar = progressBar(pipe, 'import', 200)
    for (let done = 1; done <= 200; done++) bar.update(done)
    bar.finish()
    expect(pipe.written()).toBe('')
  })
})
