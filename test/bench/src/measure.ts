/**
 * Timing and memory for one measure. Time is summed around the measured calls only (`timed`), so
 * generating or reading the input does not count. Memory is sampled on an interval and at every
 * `sample()` the loops call (better-sqlite3 works synchronously, so the interval alone would miss
 * peaks); a full garbage collection first (node --expose-gc) makes the start comparable.
 */

export interface Measured {
  readonly seconds: number
  readonly peakRssBytes: number
  /** heapUsed, which counts garbage not yet collected: it grows with the heap V8 chooses to keep, not only with what the work holds. */
  readonly peakHeapBytes: number
  /** The largest heap left after a full garbage collection at a `sampleLive()`: what the work holds. Undefined without samples (or without --expose-gc). */
  readonly peakLiveHeapBytes: number | undefined
}

export interface Measure {
  /** Runs `work` and adds its duration to the measure. */
  readonly timed: <A>(work: () => Promise<A> | A) => Promise<A>
  /** Records the memory now; cheap enough to call every few hundred events. */
  readonly sample: () => void
  /**
   * Collects all garbage, then records the heap left: what the work holds at that point. For an untimed
   * run: the collection's time is taken out of the measured time, but it also does work the collector
   * would have done inside the timed work, so a timed run with it looks faster than it is.
   */
  readonly sampleLive: () => void
}

const SAMPLE_INTERVAL_MILLISECONDS = 20

export const collectGarbage = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
}

export const measure = async <A>(work: (measure: Measure) => Promise<A>): Promise<Timed<A>> => {
  collectGarbage()
  let peakRssBytes = 0
  let peakHeapBytes = 0
  let peakLiveHeapBytes: number | undefined
  let elapsed = 0
  let collecting = 0
  const sample = (): void => {
    const { rss, heapUsed } = process.memoryUsage()
    if (rss > peakRssBytes) peakRssBytes = rss
    if (heapUsed > peakHeapBytes) peakHeapBytes = heapUsed
  }
  sample()
  const timer = setInterval(sample, SAMPLE_INTERVAL_MILLISECONDS)
  try {
    const result = await work({
      timed: async (step) => {
        const started = performance.now()
        try {
          return await step()
        } finally {
          elapsed += performance.now() - started
        }
      },
      sample,
      sampleLive: () => {
        sample()
        if ((globalThis as { gc?: () => void }).gc === undefined) return
        const started = performance.now()
        collectGarbage()
        const { heapUsed } = process.memoryUsage()
        collecting += performance.now() - started
        peakLiveHeapBytes = Math.max(peakLiveHeapBytes ?? 0, heapUsed)
      },
    })
    sample()
    return { result, measured: { seconds: (elapsed - collecting) / 1_000, peakRssBytes, peakHeapBytes, peakLiveHeapBytes } }
  } finally {
    clearInterval(timer)
  }
}

/** A run of one measure: what the work returned, and its figures. */
export interface Timed<A> {
  readonly result: A
  readonly measured: Measured
}

/** The faster of two runs of the same measure; `next` when there is no best yet. */
export const fasterOf = <Run extends { readonly measured: Measured }>(best: Run | undefined, next: Run): Run =>
  best === undefined || next.measured.seconds < best.measured.seconds ? next : best

/** The fastest of some runs of the same measure: the bench reports the best of a few, as the machine is shared. */
export const fastestOf = <Run extends { readonly measured: Measured }>(runs: ReadonlyArray<Run>): Run => {
  const fastest = runs.reduce<Run | undefined>(fasterOf, undefined)
  if (fastest === undefined) throw new Error('no run to choose from')
  return fastest
}

/** The median of some numbers (the mean of the middle two for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}
