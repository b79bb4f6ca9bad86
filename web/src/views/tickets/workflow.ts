/*
 * workflow.ts - what the console offers as a ticket's next steps, from
 * the server's GET /api/v1/workflows (content/workflows.yaml as the
 * server reads it), fetched once per session and kept here. The console
 * offers the actions whose "from" holds the ticket's state and whose "by"
 * holds the user's role, with the fields their "requires" names. The
 * server stays the authority: every step is POSTed as asked and its
 * refusal is shown as written; the action form also takes any action name.
 */
import { shallowRef } from 'vue'
import { api } from '@/api/client'
import type { Role } from '@/api/types'

export type Clock = 'running' | 'paused' | 'stopped'

export interface WorkflowState {
  name: string
  clock: Clock
  final: boolean
  auto_close_days: number | null
}

export interface WorkflowAction {
  name: string
  from: string[]
  to: string
  by: string[]
  requires: string[]
  approvals: Record<string, number> | null
}

export interface Workflow {
  type: string
  initial: string
  states: WorkflowState[]
  actions: WorkflowAction[]
}

export interface Workflows {
  priorities: { impact: string[]; urgency: string[]; matrix: Record<string, Record<string, string>> }
  workflows: Workflow[]
}

/** The server's workflows, once loaded (null before, or after a failure). */
export const workflows = shallowRef<Workflows | null>(null)
let pending: Promise<Workflows> | null = null

/** GET /api/v1/workflows, once per session (again after a failure). */
export function loadWorkflows(): Promise<Workflows> {
  if (!pending) {
    pending = api.get<Workflows>('/api/v1/workflows').then(
      (w) => {
        workflows.value = w
        return w
      },
      (e) => {
        pending = null
        throw e
      },
    )
  }
  return pending
}

/** Forget the cached workflows (the session ended). */
export function resetWorkflows(): void {
  pending = null
  workflows.value = null
}

export function workflowOf(type: string): Workflow | undefined {
  if (!workflows.value) loadWorkflows().catch(() => {})
  return workflows.value?.workflows.find((w) => w.type === type)
}

/** Fields whose value is a choice, and a time, rather than free text. */
export const CHOICE_FIELDS: Record<string, readonly string[]> = { change_kind: ['standard', 'normal', 'emergency'] }
export const TIME_FIELDS = new Set(['window_start', 'window_end'])
/** Fields that take a long text. */
export const LONG_FIELDS = new Set(['resolution', 'root_cause', 'workaround', 'plan', 'risk', 'rollback_plan', 'reason', 'result'])

export interface SuggestedAction {
  name: string
  to: string
  requires: string[]
  approvals?: Record<string, number>
}

function suggestion(a: WorkflowAction): SuggestedAction {
  return { name: a.name, to: a.to, requires: a.requires ?? [], approvals: a.approvals ?? undefined }
}

/** An action of type's workflow by its name. */
export function actionDef(type: string, name: string): SuggestedAction | undefined {
  const a = workflowOf(type)?.actions.find((x) => x.name === name)
  return a ? suggestion(a) : undefined
}

/** Every action name of type's workflow, in the order written. */
export function actionNames(type: string): string[] {
  return [...new Set(workflowOf(type)?.actions.map((a) => a.name) ?? [])]
}

/** The actions the server's workflow lets role take on a ticket of type in state. */
export function suggestedActions(type: string, state: string, role: Role): SuggestedAction[] {
  return (workflowOf(type)?.actions ?? []).filter((a) => a.from.includes(state) && a.by.includes(role)).map(suggestion)
}

/** What the SLA clocks do in state (paused while waiting on the customer). */
export function stateClock(type: string, state: string): Clock {
  return workflowOf(type)?.states.find((s) => s.name === state)?.clock ?? 'running'
}

export function isFinal(type: string, state: string): boolean {
  return !!workflowOf(type)?.states.find((s) => s.name === state)?.final
}
