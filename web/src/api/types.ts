/* types.ts - the API's objects, as docs/openapi.yaml describes them. */

export type Role = 'admin' | 'manager' | 'analyst' | 'auditor' | 'customer_admin' | 'customer_user'

export const STAFF_ROLES: readonly Role[] = ['admin', 'manager', 'analyst', 'auditor']
export const CUSTOMER_ROLES: readonly Role[] = ['customer_admin', 'customer_user']

export interface User {
  id: number
  username: string
  display_name: string
  email: string
  role: Role
  tenant_id: number | null
  disabled: boolean
  totp_enabled: boolean
  created_at: string
  updated_at: string
}

export interface Me extends User {
  permissions: string[]
  auth: 'session' | 'token'
  tenant: { id: number; name: string; edition: string } | null
}

export interface LoginAnswer {
  csrf_token: string
  expires_at: string
  user: User
}

export interface Tenant {
  id: number
  name: string
  edition: 'professional' | 'enterprise'
  contract_start: string
  contract_end: string
  timezone: string
  retention_days: number
}

export type AlertStatus = 'open' | 'acknowledged' | 'closed'
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical'
export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical']
export type Disposition = 'true_positive' | 'false_positive' | 'benign' | 'duplicate'
export const DISPOSITIONS: readonly Disposition[] = ['true_positive', 'false_positive', 'benign', 'duplicate']
export type TriageAction = 'acknowledge' | 'assign' | 'comment' | 'close' | 'reopen'

export interface AlertActivity {
  at: string
  user: string
  action: TriageAction
  detail: string
}

export interface Alert {
  id: number
  tenant_id: number
  source_id: number | null
  rule: { id: string | null; title: string; level: string | null }
  severity_id: number
  severity: Severity
  tags: string[] | null
  correlation: string | null
  value: number | null
  group: Record<string, unknown> | null
  count: number
  first_seen: string
  last_seen: string
  status: AlertStatus
  created_at: string
  updated_at: string
  assignee_id: number | null
  /** The security incident it was escalated into, if any. */
  security_incident_id?: number | null
  acknowledged_at: string | null
  closed_at: string | null
  disposition: Disposition | null
  close_reason: string | null
  description: string | null
  category: string | null
  vendor: string | null
  product: string | null
  finding_uid: string | null
  vendor_status: string | null
  resource: Record<string, string> | null
  actor: Record<string, string> | null
  asset_id: number | null
  first_event?: unknown
  last_event?: unknown
  activity?: AlertActivity[]
}

export interface Asset {
  id: number
  tenant_id: number
  instance_id: string | null
  ip: string | null
  hostname: string | null
  region: string | null
  account: string | null
  cloud: string | null
  products: string[]
  alerts: number
  first_seen: string
  last_seen: string
}

export interface Source {
  id: number
  tenant_id: number
  name: string
  type: string
  enabled: boolean
}

export interface SourceStats {
  source_id: number
  events: number
  bytes: number
  rejected: number
  rejected_by_reason: Record<string, number>
  last_event_at: string | null
  alerts: number
}

export interface Ticket {
  id: number
  ref: string
  tenant_id: number
  type: string
  title: string
  state: string
  priority: string
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
  tickets: number
  response: SlaFigures
  resolution: SlaFigures
  breaches: { ticket_id: number; ref: string; clock: 'response' | 'resolution'; due_at: string }[]
}

export const INCIDENT_CATEGORIES = [
  'ransomware',
  'backdoor',
  'cryptomining',
  'webshell',
  'brute_force',
  'data_leak',
  'ddos_cc',
  'other',
] as const
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number]

export interface SecurityIncident {
  id: number
  ticket_id: number | null
  tenant_id: number
  title: string
  category: IncidentCategory
  severity_id: number
  phase: string
  status: 'open' | 'closed'
}
