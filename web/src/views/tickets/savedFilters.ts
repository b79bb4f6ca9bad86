/*
 * savedFilters.ts - the ticket list's named filters, kept in this
 * browser's localStorage. A filter holds what GET /api/v1/tickets filters
 * on (tenant, state, type, priority, channel, assignee, title text) and
 * the page size.
 */
import { ref } from 'vue'

/** The list's filters besides the tenant, as the URL and the API name them. */
export interface ListFilter {
  state: string
  type: string
  priority: string
  channel: string
  assignee: number | null
  q: string
}

export const EMPTY_FILTER: ListFilter = { state: '', type: '', priority: '', channel: '', assignee: null, q: '' }

export interface SavedFilter extends ListFilter {
  name: string
  tenant: number | null
  size: number
}

const KEY = 'vigil.tickets.filters'

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** The filter of a saved entry, a URL query or anything alike. */
export function filterOf(v: Record<string, unknown>): ListFilter {
  const a = Number(v.assignee)
  return {
    state: str(v.state),
    type: str(v.type),
    priority: str(v.priority),
    channel: str(v.channel),
    assignee: Number.isInteger(a) && a > 0 ? a : null,
    q: str(v.q),
  }
}

export function sameFilter(a: ListFilter, b: ListFilter): boolean {
  return a.state === b.state && a.type === b.type && a.priority === b.priority && a.channel === b.channel &&
    a.assignee === b.assignee && a.q === b.q
}

function read(): SavedFilter[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown
    if (!Array.isArray(v)) return []
    return v
      .filter((f): f is SavedFilter => !!f && typeof f.name === 'string')
      .map((f) => ({
        name: f.name,
        tenant: typeof f.tenant === 'number' ? f.tenant : null,
        size: Number(f.size) || 50,
        ...filterOf(f as unknown as Record<string, unknown>),
      }))
  } catch {
    return []
  }
}

const filters = ref<SavedFilter[]>(read())

function write() {
  try {
    localStorage.setItem(KEY, JSON.stringify(filters.value))
  } catch {
    /* not remembered */
  }
}

export function useSavedFilters() {
  function save(f: SavedFilter) {
    filters.value = [...filters.value.filter((x) => x.name !== f.name), f].sort((a, b) => a.name.localeCompare(b.name))
    write()
  }
  function remove(name: string) {
    filters.value = filters.value.filter((x) => x.name !== name)
    write()
  }
  return { filters, save, remove }
}
