/* format.ts - the tickets pages' durations, states and names. */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import catalog from '@/i18n/en/tickets'

/* The state and action names the catalogs label (both have the same keys);
 * a name the server's workflow has and they do not is shown as written. */
const KNOWN_STATES = new Set(Object.keys(catalog.state))
const KNOWN_ACTIONS = new Set(Object.keys(catalog.action))

type Translate = (key: string, values?: Record<string, unknown>) => string

/** A length of time, in its two largest units: "2d 3h", "45m", "30s". */
export function formatDuration(t: Translate, seconds: number): string {
  const s = Math.max(0, Math.floor(Math.abs(seconds)))
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const parts: string[] = []
  if (d) parts.push(t('tickets.duration.d', { n: d }))
  if (h || (d && parts.length < 2)) parts.push(t('tickets.duration.h', { n: h }))
  if (!d && (m || h)) parts.push(t('tickets.duration.m', { n: m }))
  if (!d && !h) parts.push(t('tickets.duration.s', { n: sec }))
  return parts.slice(0, 2).join(' ')
}

/** A state's label; a state the catalog does not know, as the server names it. */
export function stateLabel(t: Translate, state: string): string {
  return KNOWN_STATES.has(state) ? t(`tickets.state.${state}`) : state
}

export function actionLabel(t: Translate, action: string): string {
  return KNOWN_ACTIONS.has(action)
    ? t(`tickets.action.${action}`)
    : action
}

const FIELD_KEYS = new Set([
  'assignee',
  'resolution',
  'root_cause',
  'workaround',
  'change_kind',
  'plan',
  'risk',
  'rollback_plan',
  'reason',
  'window_start',
  'window_end',
  'result',
  'caller',
  'caller_number',
])

export function fieldLabel(t: Translate, field: string): string {
  return FIELD_KEYS.has(field) ? t(`tickets.field.${field}`) : field
}

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export function stateTagType(state: string): TagType {
  if (['closed', 'rejected'].includes(state)) return 'info'
  if (state === 'resolved' || state === 'known_error') return 'success'
  if (state === 'pending_customer') return 'warning'
  if (['new', 'open', 'draft'].includes(state)) return 'danger'
  return 'primary'
}

export function priorityTagType(p: string): TagType {
  return p === 'P1' ? 'danger' : p === 'P2' ? 'warning' : p === 'P3' ? 'primary' : 'info'
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

/** The current time, ticking every second while the component lives. */
export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now())
  let timer = 0
  onMounted(() => {
    timer = window.setInterval(() => (now.value = Date.now()), intervalMs)
  })
  onBeforeUnmount(() => window.clearInterval(timer))
  return now
}

/** The ISO instant of a local date-time picker's value, or undefined. */
export function isoOf(v: Date | string | number | null | undefined): string | undefined {
  if (v === null || v === undefined || v === '') return undefined
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/** useI18n's t, typed loosely for the helpers above. */
export function useT(): Translate {
  const { t } = useI18n()
  return t as Translate
}

/** A type's or channel's label ('' for none: el-table renders its
 * column slots once with an empty row). */
export function typeLabel(t: Translate, type: string | undefined): string {
  return type ? t(`tickets.type.${type}`) : ''
}
export function channelLabel(t: Translate, channel: string | undefined): string {
  return channel ? t(`tickets.channel.${channel}`) : ''
}
