/*
 * useCursorList.ts - one server-paginated list (?limit&cursor -> {items,
 * next}): the page's rows, loading and error, previous/next by the cursors
 * seen so far, the page size. query() gives the filters of each fetch.
 */
import { onBeforeUnmount, ref, type Ref } from 'vue'
import type { Query } from '@/api/client'
import { listPage } from './api'

export function useCursorList<T>(path: string, query: () => Query, initialSize = 50) {
  const size = ref(initialSize)
  const cursors = ref<(string | null)[]>([null])
  const pageIdx = ref(0)
  const next = ref<string | null>(null)
  const rows = ref<T[]>([]) as Ref<T[]>
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<unknown>(null)
  let ctl: AbortController | null = null

  async function fetchPage() {
    ctl?.abort()
    const mine = (ctl = new AbortController())
    loading.value = true
    error.value = null
    try {
      const page = await listPage<T>(
        path,
        { ...query(), limit: size.value, cursor: cursors.value[pageIdx.value] ?? null },
        mine.signal,
      )
      rows.value = page.items
      next.value = page.next
      loaded.value = true
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return
      error.value = e
    } finally {
      if (ctl === mine) loading.value = false
    }
  }
  function reload() {
    cursors.value = [null]
    pageIdx.value = 0
    return fetchPage()
  }
  function nextPage() {
    if (!next.value) return
    cursors.value = [...cursors.value.slice(0, pageIdx.value + 1), next.value]
    pageIdx.value++
    fetchPage()
  }
  function prevPage() {
    if (pageIdx.value === 0) return
    pageIdx.value--
    fetchPage()
  }
  function setSize(n: number) {
    size.value = n
    reload()
  }
  onBeforeUnmount(() => ctl?.abort())
  return { size, pageIdx, next, rows, loading, loaded, error, fetchPage, reload, nextPage, prevPage, setSize }
}
