/* session.ts - who is logged in: the login, /api/v1/me, the logout. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, forgetSession, keepSession, request, sessionExpiresAt } from '@/api/client'
import { CUSTOMER_ROLES, type LoginAnswer, type Me } from '@/api/types'

export type EndReason = 'expired' | 'csrf' | 'logout'

export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const loaded = ref(false)
  const expiresAt = ref<string | null>(sessionExpiresAt())
  /** Why the last session ended, shown once on the login page. */
  const endReason = ref<EndReason | null>(null)

  const isCustomer = computed(() => !!me.value && CUSTOMER_ROLES.includes(me.value.role))
  const isStaff = computed(() => !!me.value && !isCustomer.value)

  function can(perm: string): boolean {
    return !!me.value?.permissions.includes(perm)
  }

  /** Loads /me once; null when no session is open. */
  async function load(): Promise<Me | null> {
    if (loaded.value) return me.value
    try {
      me.value = await api.get<Me>('/api/v1/me')
    } catch {
      me.value = null
    }
    loaded.value = true
    return me.value
  }

  /** Logs in; throws the ApiError (its detail says why, e.g. "totp code required"). */
  async function login(username: string, password: string, totp?: string): Promise<Me> {
    const body: Record<string, string> = { username, password }
    if (totp) body.totp = totp
    const answer = await request<LoginAnswer>('POST', '/api/v1/auth/login', { body, login: true })
    keepSession(answer.csrf_token, answer.expires_at)
    expiresAt.value = answer.expires_at
    endReason.value = null
    loaded.value = false
    const who = await load()
    if (!who) throw new Error('login succeeded but /api/v1/me did not answer')
    return who
  }

  async function logout(): Promise<void> {
    try {
      await api.post('/api/v1/auth/logout')
    } catch {
      /* the session may already be gone: forget it all the same */
    }
    ended('logout')
  }

  /** The session is over (expired, logged out, no CSRF token in this tab). */
  function ended(reason: EndReason | null): void {
    forgetSession()
    me.value = null
    loaded.value = true
    expiresAt.value = null
    endReason.value = reason
  }

  return { me, loaded, expiresAt, endReason, isCustomer, isStaff, can, load, login, logout, ended }
})
