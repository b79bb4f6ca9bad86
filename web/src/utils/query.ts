/*
 * query.ts - reading filters back from the URL (route.query values are
 * string | string[] | null), and the time-range shortcuts of the filter
 * forms.
 */

/** A query value as a string ('' when absent or repeated). */
export const str = (v: unknown) => (typeof v === 'string' ? v : '')
/** A query value as a positive whole number, or null. */
export const num = (v: unknown) => {
  const n = Number(str(v))
  return Number.isInteger(n) && n > 0 ? n : null
}

/** The last hour / day / week / 30 days, labelled by `${prefix}.last1h` etc. */
export function rangeShortcuts(t: (key: string) => string, prefix: string) {
  const last = (ms: number) => () => [new Date(Date.now() - ms), new Date()]
  return [
    { text: t(`${prefix}.last1h`), value: last(3600e3) },
    { text: t(`${prefix}.last24h`), value: last(86400e3) },
    { text: t(`${prefix}.last7d`), value: last(7 * 86400e3) },
    { text: t(`${prefix}.last30d`), value: last(30 * 86400e3) },
  ]
}
