/* format.ts - small helpers of the admin pages. */
import { locale } from '@/i18n'

/** The name in the console's language (the catalog has both). */
export function localName(o: { name: string; name_zh?: string }): string {
  return locale.value === 'zh-CN' && o.name_zh ? o.name_zh : o.name
}

/** "today" in the browser's days, YYYY-MM-DD. */
export function today(): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** The month before this one, YYYY-MM (the last full month of an SLA report). */
export function lastMonth(): string {
  const d = new Date()
  d.setDate(1)
  d.setMonth(d.getMonth() - 1)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
}

/** active, expiring (within 30 days), expired or not started yet. */
export function contractState(start: string, end: string): 'active' | 'expiring' | 'expired' | 'pending' {
  const now = today()
  if (end < now) return 'expired'
  if (start > now) return 'pending'
  const soon = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10)
  return end <= soon ? 'expiring' : 'active'
}

export function hours(n: number | null | undefined): string {
  if (n == null) return '—'
  return new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1 }).format(n)
}

/** Seconds as "2 h 5 min" style, short. */
export function seconds(n: number | null | undefined): string {
  if (n == null) return '—'
  const h = Math.floor(n / 3600)
  const m = Math.round((n % 3600) / 60)
  return h ? `${h}h ${m}m` : `${m}m`
}
