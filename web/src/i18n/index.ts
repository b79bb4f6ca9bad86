/*
 * index.ts - the console's two languages: zh-CN (the default) and en.
 *
 * Each area keeps its own message file under zh-CN/ and en/; they are
 * merged here under the area's name (t('alerts.queue.title')). The files
 * are plain `export default { ... }` objects: @intlify/unplugin-vue-i18n
 * precompiles them at build time (vite.config.ts), so the browser runs the
 * runtime-only vue-i18n and compiles nothing under the CSP. The en catalog
 * must have exactly zh-CN's keys: the Same<> checks below make a missing or
 * extra key a type error in `npm run typecheck`.
 */
import { createI18n } from 'vue-i18n'
import { ref } from 'vue'
import zhCommon from './zh-CN/common'
import zhAlerts from './zh-CN/alerts'
import zhOverview from './zh-CN/overview'
import zhTickets from './zh-CN/tickets'
import zhPortal from './zh-CN/portal'
import zhIncidents from './zh-CN/incidents'
import zhEvents from './zh-CN/events'
import zhRules from './zh-CN/rules'
import zhAdmin from './zh-CN/admin'
import zhReports from './zh-CN/reports'
import enCommon from './en/common'
import enAlerts from './en/alerts'
import enOverview from './en/overview'
import enTickets from './en/tickets'
import enPortal from './en/portal'
import enIncidents from './en/incidents'
import enEvents from './en/events'
import enRules from './en/rules'
import enAdmin from './en/admin'
import enReports from './en/reports'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
const LANG_KEY = 'vigil.lang'

/* Both catalogs have the same keys, nested the same way. */
type Shape<T> = T extends string ? string : { [K in keyof T]: Shape<T[K]> }
type Same<A, B> = [Shape<A>] extends [Shape<B>] ? ([Shape<B>] extends [Shape<A>] ? true : false) : false
function sameKeys<_A, _B>(ok: true): void {
  void ok
}
sameKeys<typeof zhCommon, typeof enCommon>(true as Same<typeof zhCommon, typeof enCommon>)
sameKeys<typeof zhAlerts, typeof enAlerts>(true as Same<typeof zhAlerts, typeof enAlerts>)
sameKeys<typeof zhOverview, typeof enOverview>(true as Same<typeof zhOverview, typeof enOverview>)
sameKeys<typeof zhTickets, typeof enTickets>(true as Same<typeof zhTickets, typeof enTickets>)
sameKeys<typeof zhPortal, typeof enPortal>(true as Same<typeof zhPortal, typeof enPortal>)
sameKeys<typeof zhIncidents, typeof enIncidents>(true as Same<typeof zhIncidents, typeof enIncidents>)
sameKeys<typeof zhEvents, typeof enEvents>(true as Same<typeof zhEvents, typeof enEvents>)
sameKeys<typeof zhRules, typeof enRules>(true as Same<typeof zhRules, typeof enRules>)
sameKeys<typeof zhAdmin, typeof enAdmin>(true as Same<typeof zhAdmin, typeof enAdmin>)
sameKeys<typeof zhReports, typeof enReports>(true as Same<typeof zhReports, typeof enReports>)

const messages = {
  'zh-CN': { common: zhCommon, alerts: zhAlerts, overview: zhOverview, tickets: zhTickets, portal: zhPortal, incidents: zhIncidents, events: zhEvents, rules: zhRules, admin: zhAdmin, reports: zhReports },
  en: { common: enCommon, alerts: enAlerts, overview: enOverview, tickets: enTickets, portal: enPortal, incidents: enIncidents, events: enEvents, rules: enRules, admin: enAdmin, reports: enReports },
}

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(LANG_KEY)
    if (v && (LOCALES as readonly string[]).includes(v)) return v as Locale
  } catch {
    /* no storage: the default */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
})

/** The current language, for what must follow it (Element Plus, <html lang>). */
export const locale = ref<Locale>(storedLocale())
document.documentElement.lang = locale.value

export function setLocale(l: Locale): void {
  locale.value = l
  i18n.global.locale.value = l
  document.documentElement.lang = l
  try {
    localStorage.setItem(LANG_KEY, l)
  } catch {
    /* not remembered */
  }
}
