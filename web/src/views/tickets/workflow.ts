/*
 * workflow.ts - what the console offers as a ticket's next steps.
 *
 * API GAP: no endpoint exposes content/workflows.yaml, and a ticket does
 * not say which actions it allows. So the console keeps a MIRROR of the
 * shipped workflows (content/workflows.yaml, version 1) to *suggest* the
 * actions from the ticket's state and the user's role, and which fields
 * they need. The server stays the authority: every step is POSTed as
 * asked, its refusal ("cannot resolve an incident that is new",
 * "resolve needs resolution") is shown as it is written, and the action
 * form also takes an action name the mirror does not know (a workflow
 * changed on the server). Keep this file in step with the YAML until the
 * API answers it (e.g. GET /api/v1/workflows).
 */
import type { Role } from '@/api/types'
import type { TicketType } from './api'

type Clock = 'running' | 'paused' | 'stopped'
/** "staff", "customer", "system" or a role name, as the YAML writes "by". */
type By = 'staff' | 'customer' | 'system' | Role

interface ActionDef {
  from: string[]
  to: string
  by: By[]
  requires?: string[]
  approvals?: Record<string, number>
}

interface WorkflowDef {
  initial: string
  states: Record<string, { clock?: Clock; final?: boolean }>
  actions: Record<string, ActionDef>
}

const serviceFlow: WorkflowDef = {
  initial: 'new',
  states: {
    new: {},
    assigned: {},
    in_progress: {},
    pending_customer: { clock: 'paused' },
    resolved: { clock: 'stopped' },
    closed: { clock: 'stopped', final: true },
  },
  actions: {
    assign: { from: ['new', 'assigned', 'in_progress', 'pending_customer'], to: 'assigned', by: ['staff'], requires: ['assignee'] },
    start: { from: ['new', 'assigned'], to: 'in_progress', by: ['staff'] },
    wait_customer: { from: ['assigned', 'in_progress'], to: 'pending_customer', by: ['staff'] },
    customer_reply: { from: ['pending_customer'], to: 'in_progress', by: ['staff', 'customer'] },
    resolve: { from: ['assigned', 'in_progress', 'pending_customer'], to: 'resolved', by: ['staff'], requires: ['resolution'] },
    close: { from: ['resolved'], to: 'closed', by: ['staff', 'customer', 'system'] },
    reopen: { from: ['resolved', 'closed'], to: 'in_progress', by: ['staff', 'customer'] },
  },
}

export const WORKFLOWS: Record<TicketType, WorkflowDef> = {
  request: serviceFlow,
  incident: serviceFlow,
  problem: {
    initial: 'open',
    states: {
      open: {},
      root_cause_analysis: {},
      known_error: {},
      resolved: { clock: 'stopped' },
      closed: { clock: 'stopped', final: true },
    },
    actions: {
      analyse: { from: ['open'], to: 'root_cause_analysis', by: ['staff'], requires: ['assignee'] },
      known_error: { from: ['root_cause_analysis'], to: 'known_error', by: ['staff'], requires: ['root_cause', 'workaround'] },
      resolve: { from: ['root_cause_analysis', 'known_error'], to: 'resolved', by: ['staff'], requires: ['resolution'] },
      close: { from: ['resolved'], to: 'closed', by: ['manager', 'admin'] },
      reopen: { from: ['resolved'], to: 'root_cause_analysis', by: ['staff'] },
    },
  },
  change: {
    initial: 'draft',
    states: {
      draft: {},
      submitted: {},
      assessed: {},
      approved: {},
      rejected: { clock: 'stopped', final: true },
      scheduled: {},
      implementing: {},
      review: {},
      closed: { clock: 'stopped', final: true },
    },
    actions: {
      submit: { from: ['draft'], to: 'submitted', by: ['staff', 'customer'], requires: ['change_kind', 'plan', 'risk', 'rollback_plan'] },
      assess: { from: ['submitted'], to: 'assessed', by: ['staff'], requires: ['risk'] },
      approve: { from: ['assessed'], to: 'approved', by: ['manager', 'admin', 'analyst'], approvals: { standard: 1, normal: 3, emergency: 1 } },
      reject: { from: ['submitted', 'assessed'], to: 'rejected', by: ['manager', 'admin'], requires: ['reason'] },
      schedule: { from: ['approved'], to: 'scheduled', by: ['staff'], requires: ['window_start', 'window_end'] },
      implement: { from: ['scheduled'], to: 'implementing', by: ['staff'] },
      review: { from: ['implementing'], to: 'review', by: ['staff'], requires: ['result'] },
      close: { from: ['review'], to: 'closed', by: ['manager', 'admin'] },
    },
  },
}

/** Every state and action name the mirror knows, for the i18n of unknown ones. */
export const KNOWN_STATES = new Set(Object.values(WORKFLOWS).flatMap((w) => Object.keys(w.states)))
export const KNOWN_ACTIONS = new Set(Object.values(WORKFLOWS).flatMap((w) => Object.keys(w.actions)))

/** Fields whose value is a choice, and a time, rather than free text. */
export const CHOICE_FIELDS: Record<string, readonly string[]> = { change_kind: ['standard', 'normal', 'emergency'] }
export const TIME_FIELDS = new Set(['window_start', 'window_end'])
/** Fields that take a long text. */
export const LONG_FIELDS = new Set(['resolution', 'root_cause', 'workaround', 'plan', 'risk', 'rollback_plan', 'reason', 'result'])

function roleMatches(by: By[], role: Role): boolean {
  const staff = role === 'admin' || role === 'manager' || role === 'analyst'
  const customer = role === 'customer_admin' || role === 'customer_user'
  return by.some((b) => b === role || (b === 'staff' && staff) || (b === 'customer' && customer))
}

export interface SuggestedAction {
  name: string
  to: string
  requires: string[]
  approvals?: Record<string, number>
}

/** The actions the mirror says role may take on a ticket of type in state. */
export function suggestedActions(type: string, state: string, role: Role): SuggestedAction[] {
  const wf = WORKFLOWS[type as TicketType]
  if (!wf) return []
  return Object.entries(wf.actions)
    .filter(([, a]) => a.from.includes(state) && roleMatches(a.by, role))
    .map(([name, a]) => ({ name, to: a.to, requires: a.requires ?? [], approvals: a.approvals }))
}

/** What the SLA clocks do in state (paused while waiting on the customer). */
export function stateClock(type: string, state: string): Clock {
  return WORKFLOWS[type as TicketType]?.states[state]?.clock ?? 'running'
}

export function isFinal(type: string, state: string): boolean {
  return !!WORKFLOWS[type as TicketType]?.states[state]?.final
}
