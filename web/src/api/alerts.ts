/* alerts.ts - the alert queue's calls (src/api/alerts.c on the server). */
import { api, type Page, type Query } from './client'
import type { Alert, Disposition, IncidentCategory, SecurityIncident, TriageAction } from './types'

/** The list's filters, as GET /api/v1/alerts names them. */
export interface AlertFilter {
  tenant?: number
  status?: string
  min_severity?: number
  /** Exactly this severity id. */
  severity?: number
  source?: number
  rule?: string
  assignee?: string
  asset?: number
  vendor?: string
  product?: string
  since?: string
  until?: string
}

export const listAlerts = (f: AlertFilter, limit: number, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Alert>>('/api/v1/alerts', { ...(f as Query), limit, cursor }, signal)

export const getAlert = (id: number, signal?: AbortSignal) => api.get<Alert>(`/api/v1/alerts/${id}`, undefined, signal)

export interface StepBody {
  user_id?: number | null
  disposition?: Disposition
  reason?: string
  text?: string
}

/** One triage step on one alert: the alert as it now is. */
export function triage(id: number, action: TriageAction, body: StepBody = {}): Promise<Alert> {
  const path = action === 'comment' ? 'comments' : action
  return api.post<Alert>(`/api/v1/alerts/${id}/${path}`, body)
}

/** The same step on many alerts, all or none. */
export const bulkTriage = (ids: number[], action: TriageAction, body: StepBody = {}) =>
  api.post<{ action: string; ids: number[] }>('/api/v1/alerts/bulk', { ids, action, ...body })

export interface EscalateBody {
  title: string
  category: IncidentCategory
  alert_ids: number[]
  severity_id?: number
  note?: string
}

export const escalate = (body: EscalateBody) => api.post<SecurityIncident>('/api/v1/security-incidents', body)
