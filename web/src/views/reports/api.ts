/*
 * api.ts - reports (src/api/reports.c on the server): the monthly and
 * incident reports made, generating one (a synchronous render: it may take
 * a few seconds), its file as a download, and the tenant's logo on their
 * covers (a PNG, the raw body of an upload). Everything goes through the
 * shared client (CSRF on writes, problem+json details in ApiError).
 */
import { api, type Page } from '@/api/client'
import type { Locale } from '@/i18n'

export type ReportKind = 'monthly' | 'incident'
export type ReportFormat = 'pdf' | 'html'
export type ReportState = 'pending' | 'ready' | 'failed'
export type MailingState = 'pending' | 'sent' | 'failed'
export const REPORT_FORMATS: readonly ReportFormat[] = ['pdf', 'html']
export const REPORT_LANGUAGES: readonly Locale[] = ['zh-CN', 'en']

export interface Report {
  id: number
  tenant_id: number
  kind: ReportKind
  /** "2026-11" for a monthly report, the incident's reference ("SEC-7") for an incident one. */
  period: string
  incident_id: number | null
  format: ReportFormat
  language: Locale
  state: ReportState
  size: number | null
  sha256: string | null
  error: string | null
  /** Made by the monthly schedule (and mailed to the tenant's report contacts). */
  scheduled: boolean
  attempts: number
  next_at: string | null
  filename: string
  created_by: string | null
  created_at: string
  updated_at: string
}

export interface Mailing {
  id: number
  recipient: string
  state: MailingState
  attempts: number
  next_at: string | null
  error: string | null
  sent_at: string | null
}

export interface ReportFull extends Report {
  mailings: Mailing[]
}

export type GenerateBody =
  | { kind: 'monthly'; tenant_id: number; month: string; format: ReportFormat; language: Locale }
  | { kind: 'incident'; incident_id: number; format: ReportFormat; language: Locale }

const R = '/api/v1/reports'

export const listReports = (tenant: number | null, limit: number, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Report>>(R, { tenant, limit, cursor }, signal)
export const getReport = (id: number, signal?: AbortSignal) => api.get<ReportFull>(`${R}/${id}`, undefined, signal)
export const generateReport = (body: GenerateBody) => api.post<ReportFull>(R, body)
/** A scheduled report given up, back to the schedule (made again if it failed, its failed mails sent again). */
export const retryReport = (id: number) => api.post<ReportFull>(`${R}/${id}/retry`, {})
/** The file, answered as an attachment (never rendered in the console). */
export const reportFileUrl = (id: number) => `${R}/${id}/file`

/** Downloads a report's file, as a click on a link to it would. */
export function downloadReport(r: Pick<Report, 'id' | 'filename'>): void {
  const a = document.createElement('a')
  a.href = reportFileUrl(r.id)
  a.download = r.filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

/* ---- the tenant's logo on report covers ---- */
export const LOGO_MAX_BYTES = 512 * 1024
export const logoUrl = (tenant: number) => `/api/v1/tenants/${tenant}/logo`
export const uploadLogo = (tenant: number, file: Blob) => api.upload<void>(logoUrl(tenant), file, 'image/png')
export const removeLogo = (tenant: number) => api.del<void>(logoUrl(tenant))

