/*
 * api.ts - the ticket calls (src/api/tickets.c, attachments.c, groups.c on
 * the server) and the shapes they answer, as docs/openapi.yaml and the
 * server's code describe them. Everything goes through the shared client;
 * an upload is a raw body (api.upload: the same CSRF header, the same
 * ApiError with the problem's detail).
 */
import { api, type Page } from '@/api/client'
import type { Severity } from '@/api/types'

export type TicketType = 'request' | 'incident' | 'problem' | 'change'
export const TICKET_TYPES: readonly TicketType[] = ['request', 'incident', 'problem', 'change']
export type Channel = 'portal' | 'email' | 'phone' | 'im' | 'alert'
export const CHANNELS: readonly Channel[] = ['portal', 'email', 'phone', 'im', 'alert']
export type Level = 'high' | 'medium' | 'low'
export const LEVELS: readonly Level[] = ['high', 'medium', 'low']
export type ClockStatus = 'running' | 'warning' | 'met' | 'breached'
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const

export interface SlaClock {
  target: string
  target_seconds: number
  elapsed_seconds: number
  paused_seconds: number
  due_at: string | null
  done_at: string | null
  status: ClockStatus
}

export interface TicketSla {
  policy: string
  calendar: string
  paused_seconds: number
  response: SlaClock
  resolution: SlaClock
}

export interface TicketActivity {
  at: string
  user: string
  action: string
  from: string | null
  to: string | null
  text: string
  public: boolean
  staff: boolean
}

export interface Attachment {
  id: number
  ticket_id: number
  tenant_id: number
  filename: string
  content_type: string
  size: number
  sha256: string
  public: boolean
  source: string | null
  created_by: string
  staff: boolean
  created_at: string
}

export interface Watcher {
  user_id: number
  username: string
  staff: boolean
}

export interface SlaEvent {
  id: number
  kind: 'sla_warning' | 'sla_breach' | 'escalated'
  clock: 'response' | 'resolution'
  cause: 'sla_warning' | 'sla_breach' | null
  at: string
  detail: { text?: string; target?: string; due_at?: string } | null
}

export interface TicketRow {
  id: number
  ref: string
  tenant_id: number
  type: TicketType
  title: string
  description: string
  state: string
  impact: Level
  urgency: Level
  priority: 'P1' | 'P2' | 'P3' | 'P4'
  channel: Channel
  received_at: string
  assignee_id: number | null
  group: { id: number; name: string } | null
  fields: Record<string, string>
  security_incident_id: number | null
  created_by: string
  created_at: string
  updated_at: string
  resolved_at: string | null
  closed_at: string | null
}

/** A list row's SLA (null for types without targets). */
export interface TicketSlaSummary {
  response: ClockStatus
  resolution: ClockStatus
  next_due_at: string | null
}

/** A row of GET /api/v1/tickets. */
export interface TicketListRow extends TicketRow {
  sla: TicketSlaSummary | null
}

/** A ticket as GET /tickets/{id} (and the writes' answers) have it. */
export interface TicketFull extends TicketRow {
  activity: TicketActivity[]
  attachments: Attachment[]
  links: { tickets: number[]; alerts: number[]; assets: number[] }
  sla: TicketSla | null
  watchers: Watcher[]
  sla_events: SlaEvent[]
}

export interface Group {
  id: number
  name: string
  description: string
  members: { id: number; username: string }[]
  created_at: string
}

export interface CreateBody {
  tenant_id?: number
  type: TicketType
  title: string
  description?: string
  impact?: Level
  urgency?: Level
  channel?: Channel
  received_at?: string
  caller?: string
  caller_number?: string
}

export interface StepBody {
  action: string
  fields?: Record<string, string>
  assignee_id?: number
  group_id?: number
  comment?: string
}

export interface WorklogBody {
  service_item: string
  minutes: number
  worked_at?: string
  note?: string
}

export interface EntitlementItem {
  id: string
  category: string
  name: string
  name_zh: string
  frequency: string
  quota: { hours_per_year?: number } | null
}

export interface Entitlements {
  tenant_id: number
  edition: string
  items: EntitlementItem[]
}

export interface SlaFigures {
  with_target: number
  decided: number
  met: number
  met_percent: number | null
  mean_seconds: number | null
}

export interface SlaMonth {
  tenant_id: number
  month: string
  from: string
  until: string
  tickets: number
  im_excluded: number
  by_type: Record<string, number>
  by_priority: Record<string, number>
  by_channel: Record<string, number>
  response: SlaFigures
  resolution: SlaFigures
  breaches: {
    ticket_id: number
    ref: string
    clock: 'response' | 'resolution'
    target: string
    elapsed_seconds: number
    due_at: string
    done_at: string | null
  }[]
}

export interface AlertMetricRow {
  tenant_id: number
  severity_id: number
  severity: Severity
  alerts: number
  acknowledged: number
  mtta_seconds: number | null
  closed: number
  mttc_seconds: number | null
}

const T = '/api/v1/tickets'

/** The list's filters, as GET /api/v1/tickets takes them (all must hold). */
export interface TicketFilter {
  tenant?: number | null
  state?: string
  type?: string
  priority?: string
  channel?: string
  assignee?: number | null
  group?: number | null
  /** A substring of the title. */
  q?: string
}

export const listTickets = (f: TicketFilter, limit: number, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<TicketListRow>>(
    T,
    {
      tenant: f.tenant ?? undefined,
      state: f.state || undefined,
      type: f.type || undefined,
      priority: f.priority || undefined,
      channel: f.channel || undefined,
      assignee: f.assignee ?? undefined,
      group: f.group ?? undefined,
      q: f.q?.trim() || undefined,
      limit,
      cursor,
    },
    signal,
  )

export const getTicket = (id: number, signal?: AbortSignal) => api.get<TicketFull>(`${T}/${id}`, undefined, signal)
export const createTicket = (body: CreateBody) => api.post<TicketFull>(T, body)
export const updateTicket = (id: number, body: Partial<Pick<TicketRow, 'title' | 'description' | 'impact' | 'urgency'>>) =>
  api.patch<TicketFull>(`${T}/${id}`, body)
export const takeStep = (id: number, body: StepBody) => api.post<TicketFull>(`${T}/${id}/steps`, body)
export const addComment = (id: number, text: string, pub: boolean) =>
  api.post<TicketFull>(`${T}/${id}/comments`, { text, public: pub })
export const addWatcher = (id: number, userId: number) => api.post<TicketFull>(`${T}/${id}/watchers`, { user_id: userId })
export const removeWatcher = (id: number, userId: number) => api.del<void>(`${T}/${id}/watchers/${userId}`)
export const addLink = (id: number, body: { ticket_id?: number; alert_id?: number; asset_id?: number }) =>
  api.post<TicketFull>(`${T}/${id}/links`, body)
export const addWorklog = (id: number, body: WorklogBody) => api.post<void>(`${T}/${id}/worklogs`, body)
export const attachmentUrl = (id: number, aid: number) => `${T}/${id}/attachments/${aid}`

export const listGroups = (signal?: AbortSignal) => api.get<Page<Group>>('/api/v1/groups', { limit: 500 }, signal)
export const getEntitlements = (tenant: number, signal?: AbortSignal) =>
  api.get<Entitlements>(`/api/v1/tenants/${tenant}/entitlements`, undefined, signal)
export const getSlaMonth = (tenant: number, month: string, signal?: AbortSignal) =>
  api.get<SlaMonth>(`/api/v1/tenants/${tenant}/sla`, { month }, signal)
export const getAlertMetrics = (q: { tenant?: number; since?: string; until?: string }, signal?: AbortSignal) =>
  api.get<{ items: AlertMetricRow[] }>('/api/v1/alerts/metrics', q, signal)

/** The type the server checks a file against: the browser's, else by name. */
export function contentTypeOf(file: File): string {
  if (file.type) return file.type
  const ext = file.name.toLowerCase().split('.').pop() ?? ''
  const byExt: Record<string, string> = {
    pcap: 'application/vnd.tcpdump.pcap',
    pcapng: 'application/x-pcapng',
    log: 'text/plain',
    txt: 'text/plain',
    csv: 'text/csv',
    json: 'application/json',
    eml: 'message/rfc822',
    '7z': 'application/x-7z-compressed',
    gz: 'application/gzip',
  }
  return byExt[ext] ?? 'application/octet-stream'
}

/** POST the file itself as the body; the attachment, or the problem as ApiError. */
export const uploadAttachment = (id: number, file: File, pub: boolean) =>
  api.upload<Attachment>(`${T}/${id}/attachments`, file, contentTypeOf(file), { name: file.name, public: pub ? undefined : 'false' })
