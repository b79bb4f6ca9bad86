/*
 * api.ts - the admin pages' calls (src/api/{tenants,users,tokens,channels,
 * deliveries,audit,assets}.c on the server) and the shapes they answer, as
 * docs/openapi.yaml describes them. Everything goes through the shared
 * client (CSRF on writes, problem+json details in ApiError).
 */
import { api, type Page, type Query } from '@/api/client'
import type { Asset, Role, SlaFigures, Tenant, User } from '@/api/types'

export interface Contact {
  name: string
  email?: string
  phone?: string
  role?: string
  /** The monthly report is mailed to this contact. */
  reports?: boolean
}

export interface TenantFull extends Tenant {
  contacts: Contact[]
  sla_policy: string | null
  /** What its scheduled monthly reports are written in. */
  report_language: 'zh-CN' | 'en'
  created_at: string
  updated_at: string
}

export type TenantFields = Partial<{
  name: string
  edition: 'professional' | 'enterprise'
  contract_start: string
  contract_end: string
  timezone: string
  contacts: Contact[]
  retention_days: number
  sla_policy: string | null
  report_language: 'zh-CN' | 'en'
}>

export interface Entitlement {
  id: string
  category: string
  name: string
  name_zh: string
  frequency: string
  quota: Record<string, number> | null
  deliverable: { name: string; name_zh: string } | null
  sla_object: boolean
}
export interface Entitlements {
  tenant_id: number
  edition: string
  contract_start: string
  contract_end: string
  active: boolean
  items: Entitlement[]
}

export interface QuotaItem {
  id: string
  name: string
  name_zh: string
  quota_hours: number
  used_hours: number
  remaining_hours: number
  over_quota_hours: number
  warning: boolean
}
export interface Quotas {
  tenant_id: number
  contract_year: { from: string; until: string }
  items: QuotaItem[]
}

export interface SlaBreach {
  ticket_id: number
  ref: string
  clock: 'response' | 'resolution'
  target: string
  elapsed_seconds: number
  due_at: string
  done_at: string | null
}
export interface SlaReport {
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
  breaches: SlaBreach[]
}

export interface Token {
  id: number
  name: string
  user_id: number
  tenant_id: number | null
  prefix: string
  scopes: ('read' | 'write')[]
  expires_at: string | null
  revoked_at: string | null
  last_used_at: string | null
  created_at: string
}
export interface NewToken extends Token {
  token: string
}

export const CHANNEL_TYPES = ['wecom', 'dingtalk', 'feishu', 'slack', 'webhook', 'email'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]
export interface Channel {
  id: number
  tenant_id: number | null
  name: string
  type: ChannelType
  url_hint: string
  has_secret: boolean
  username: string | null
  from: string | null
  to: string[]
  enabled: boolean
  created_at: string
  updated_at: string
}
export interface ChannelTest {
  delivered: boolean
  retry: boolean
  status: number | null
  vendor_code: number | null
  retry_after_seconds: number | null
  answer: string
  error: string | null
}

export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'cancelled'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]
export interface Delivery {
  id: number
  tenant_id: number | null
  channel_id: number | null
  channel: string
  route_id: number | null
  kind: 'alert' | 'digest' | 'escalation' | 'ticket'
  alert_id: number | null
  alerts: number
  title: string
  state: DeliveryState
  attempts: number
  next_at: string
  last_status: number | null
  last_vendor_code: number | null
  last_error: string | null
  created_at: string
  sent_at: string | null
}
export interface DeliveryAttempt {
  at: string
  delivered: boolean
  retry: boolean
  status: number | null
  vendor_code: number | null
  answer: string
  error: string | null
}
export interface AuditRow {
  id: number
  at: string
  actor: string
  actor_id: number | null
  tenant_id: number | null
  action: string
  object: string
  source: string
  outcome: string
  detail: string
  prev_hash: string
  hash: string
}

export const listPage = <T>(path: string, query: Query, signal?: AbortSignal) =>
  api.get<Page<T>>(path, query, signal)

export const getTenant = (id: number) => api.get<TenantFull>(`/api/v1/tenants/${id}`)
export const patchTenant = (id: number, body: TenantFields) => api.patch<TenantFull>(`/api/v1/tenants/${id}`, body)
export const getEntitlements = (id: number) => api.get<Entitlements>(`/api/v1/tenants/${id}/entitlements`)
export const getQuotas = (id: number) => api.get<Quotas>(`/api/v1/tenants/${id}/quotas`)
export const getSla = (id: number, month: string) => api.get<SlaReport>(`/api/v1/tenants/${id}/sla`, { month })
export const slaCsvUrl = (id: number, month: string) =>
  `/api/v1/tenants/${id}/sla?month=${encodeURIComponent(month)}&format=csv`

export interface NewUser {
  username: string
  password: string
  role: Role
  tenant_id?: number
  display_name?: string
  email?: string
}
export const createUser = (body: NewUser) => api.post<User>('/api/v1/users', body)
export const patchUser = (id: number, body: Partial<{ display_name: string; email: string; role: Role; disabled: boolean; password: string }>) =>
  api.patch<User>(`/api/v1/users/${id}`, body)

export const createToken = (body: { name: string; scopes: string[]; expires_in_days?: number; user_id?: number }) =>
  api.post<NewToken>('/api/v1/tokens', body)
export const revokeToken = (id: number) => api.del<void>(`/api/v1/tokens/${id}`)

export const createChannel = (body: Record<string, unknown>) => api.post<Channel>('/api/v1/channels', body)
export const patchChannel = (id: number, body: Record<string, unknown>) => api.patch<Channel>(`/api/v1/channels/${id}`, body)
export const deleteChannel = (id: number) => api.del<void>(`/api/v1/channels/${id}`)
export const testChannel = (id: number, body: { title?: string; text?: string }) =>
  api.post<ChannelTest>(`/api/v1/channels/${id}/test`, body)
export const getDelivery = (id: number) =>
  api.get<Omit<Delivery, 'attempts'> & { text: string; attempts: DeliveryAttempt[] | number }>(`/api/v1/deliveries/${id}`)

export const getAsset = (id: number) => api.get<Asset>(`/api/v1/assets/${id}`)
