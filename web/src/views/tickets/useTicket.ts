/*
 * useTicket.ts - one ticket, read when the page opens and again every
 * minute (the SLA clocks' status is the server's), without a reload of
 * the page: a failed re-read keeps what is shown and says so.
 */
import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'
import { getTicket, type TicketFull } from './api'

export function useTicket(id: Ref<number>, everyMs = 60_000) {
  const ticket = ref<TicketFull | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  const staleError = ref<unknown>(null)
  let ctl: AbortController | null = null
  let timer = 0

  async function load(quiet = false) {
    ctl?.abort()
    const mine = (ctl = new AbortController())
    if (!quiet) {
      loading.value = true
      error.value = null
    }
    try {
      const tk = await getTicket(id.value, mine.signal)
      if (mine !== ctl) return
      ticket.value = tk
      staleError.value = null
      error.value = null
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return
      if (quiet && ticket.value) staleError.value = e
      else {
        error.value = e
        ticket.value = null
      }
    } finally {
      if (mine === ctl) loading.value = false
    }
  }

  /** A write's answer is the ticket as it now is. */
  function set(tk: TicketFull) {
    ticket.value = tk
    staleError.value = null
  }

  watch(id, () => {
    ticket.value = null
    load()
  })
  onMounted(() => {
    load()
    timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') load(true)
    }, everyMs)
  })
  onBeforeUnmount(() => {
    window.clearInterval(timer)
    ctl?.abort()
  })

  return { ticket, loading, error, staleError, load, set }
}
