/*
 * useCursorList.ts - the one way to show a server-paginated list
 * (?limit&cursor -> {items, next}): the page's items, loading and error
 * (the problem detail the client threw), previous / next by the cursors
 * seen so far, and the page size. The view gives the fetch (its filters
 * read inside it); reload() goes back to the first page, and so does a
 * change of `resetOn`. <CursorPager :list="list" /> shows the pager.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref, type WatchSource } from 'vue'

export interface CursorPage<T> {
  items: T[]
  next?: string | null
}
export interface CursorArgs {
  limit: number
  cursor: string | null
}
export interface CursorListOptions<P> {
  /** The first page size (50). */
  size?: number
  /** False while the list cannot be asked for (no tenant chosen yet): nothing is fetched. */
  enabled?: () => boolean
  /** Go back to the first page when this changes. */
  resetOn?: WatchSource
  /** Each reload (a new search), before it fetches: e.g. the URL. */
  onReload?: () => void
  /** Each page answered. */
  onPage?: (page: P) => void
  /** An error of the fetch: true when the view has shown it its own way. */
  onError?: (e: unknown) => boolean | void
}

export function useCursorList<T, P extends CursorPage<T> = CursorPage<T>>(
  fetch: (args: CursorArgs, signal: AbortSignal) => Promise<P>,
  opts: CursorListOptions<P> = {},
) {
  const size = ref(opts.size ?? 50)
  const cursors = ref<(string | null)[]>([null])
  const pageIdx = ref(0)
  const cursor = ref<string | null>(null)
  const items = ref<T[]>([]) as Ref<T[]>
  const page = ref<P | null>(null) as Ref<P | null>
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<unknown>(null)
  const hasNext = computed(() => !!cursor.value)
  const hasPrev = computed(() => pageIdx.value > 0)
  let ctl: AbortController | null = null

  /** The page the cursors are at, again (refresh, retry, after a write). */
  async function fetchPage() {
    if (opts.enabled && !opts.enabled()) {
      error.value = null
      return
    }
    ctl?.abort()
    const mine = (ctl = new AbortController())
    loading.value = true
    error.value = null
    try {
      const p = await fetch({ limit: size.value, cursor: cursors.value[pageIdx.value] ?? null }, mine.signal)
      page.value = p
      items.value = p.items
      cursor.value = p.next ?? null
      loaded.value = true
      opts.onPage?.(p)
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return
      if (!opts.onError?.(e)) error.value = e
    } finally {
      if (ctl === mine) loading.value = false
    }
  }
  /** Back to the first page (the filters changed). */
  function reload() {
    cursors.value = [null]
    pageIdx.value = 0
    opts.onReload?.()
    return fetchPage()
  }
  function next() {
    if (!cursor.value) return
    cursors.value = [...cursors.value.slice(0, pageIdx.value + 1), cursor.value]
    pageIdx.value++
    fetchPage()
  }
  function prev() {
    if (pageIdx.value === 0) return
    pageIdx.value--
    fetchPage()
  }
  function setSize(n: number) {
    size.value = n
    reload()
  }
  if (opts.resetOn) watch(opts.resetOn, () => reload())
  onBeforeUnmount(() => ctl?.abort())
  return { size, pageIdx, items, page, loading, loaded, error, hasNext, hasPrev, fetchPage, reload, next, prev, setSize }
}

export type CursorList = Pick<
  ReturnType<typeof useCursorList<unknown>>,
  'size' | 'pageIdx' | 'loading' | 'hasNext' | 'hasPrev' | 'next' | 'prev' | 'setSize'
>
