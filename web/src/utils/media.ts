/* media.ts - whether the screen is narrow (a phone), kept up to date. */
import { onBeforeUnmount, ref } from 'vue'

export function useNarrow(maxWidth = 768) {
  const q = window.matchMedia(`(max-width: ${maxWidth}px)`)
  const narrow = ref(q.matches)
  const on = (e: MediaQueryListEvent) => (narrow.value = e.matches)
  q.addEventListener('change', on)
  onBeforeUnmount(() => q.removeEventListener('change', on))
  return narrow
}
