/* api.ts - security incidents (src/api/incidents.c, src/alerts/incidents.c). */
import { api, type Page } from '@/api/client'
import type { IncidentCategory } from '@/api/types'

/** NIST SP 800-61's phases, in order: an incident only moves forward. */
export const PHASES = ['detection', 'containment', 'eradication', 'recovery', 'post_incident'] as const
export type Phase = (typeof PHASES)[number]

export interface IncidentStep {
  at: string
  user: string
  action: 'open' | 'phase' | 'note' | 'link' | 'close'
  phase: Phase
  detail: string
}

export interface Incident {
  id: number
  tenant_id: number
  ticket_id?: number | null
  title: string
  category: IncidentCategory
  severity_id: number
  severity: string
  phase: Phase
  status: 'open' | 'closed'
  summary: string | null
  created_by: string
  created_at: string
  updated_at: string
  closed_at: string | null
  /** Only on the one incident and the steps' answers. */
  alerts?: number[]
  activity?: IncidentStep[]
}

const base = '/api/v1/security-incidents'

export const listIncidents = (tenant: number | null, limit: number, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Incident>>(base, { tenant, limit, cursor }, signal)
export const getIncident = (id: number, signal?: AbortSignal) => api.get<Incident>(`${base}/${id}`, undefined, signal)
export const movePhase = (id: number, phase: Phase, note: string) => api.post<Incident>(`${base}/${id}/phase`, { phase, note })
export const addNote = (id: number, text: string) => api.post<Incident>(`${base}/${id}/notes`, { text })
export const linkAlerts = (id: number, alert_ids: number[]) => api.post<Incident>(`${base}/${id}/alerts`, { alert_ids })
export const closeIncident = (id: number, summary: string) => api.post<Incident>(`${base}/${id}/close`, { summary })

/** Closing is allowed from recovery on. */
export const canCloseFrom = (p: Phase) => PHASES.indexOf(p) >= PHASES.indexOf('recovery')
