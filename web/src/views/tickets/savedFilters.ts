/*
 * savedFilters.ts - the ticket list's named filters, kept in this
 * browser's localStorage. A filter holds what GET /api/v1/tickets filters
 * on (the tenant: the API takes no other filter) and the page size.
 */
import { ref } from 'vue'

export interface SavedFilter {
  name: string
  tenant: number | null
  size: number
}

const KEY = 'vigil.tickets.filters'

function read(): SavedFilter[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown
    if (!Array.isArray(v)) return []
    return v
      .filter((f): f is SavedFilter => !!f && typeof f.name === 'string')
      .map((f) => ({ name: f.name, tenant: typeof f.tenant === 'number' ? f.tenant : null, size: Number(f.size) || 50 }))
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
