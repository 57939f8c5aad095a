/**
 * Today as a business date in Vietnam (UTC+7, no daylight saving): the default day of a report and of
 * a seal. The domain never reads the clock; the command line, at the edge, may.
 */
const VIETNAM_OFFSET_MILLISECONDS = 7 * 3_600_000

export const todayInVietnam = (now: Date = new Date()): string => new Date(now.getTime() + VIETNAM_OFFSET_MILLISECONDS).toISOString().slice(0, 10)
