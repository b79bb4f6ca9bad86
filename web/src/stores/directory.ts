/*
 * directory.ts - the names behind ids: tenants (and the staff's chosen
 * tenant, remembered in localStorage) and staff users who can take alerts.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { collect } from '@/api/client'
import type { Tenant, User } from '@/api/types'

const TENANT_KEY = 'vigil.tenant'

function storedTenant(): number | null {
  try {
    const v = Number(localStorage.getItem(TENANT_KEY))
    return Number.isInteger(v) && v > 0 ? v : null
  } catch {
    return null
  }
}

export const useDirectory = defineStore('directory', () => {
  const tenants = ref<Tenant[]>([])
  const users = ref<User[]>([])
  const tenantsError = ref<unknown>(null)
  /** The staff's tenant selector: null is all tenants. */
  const tenantId = ref<number | null>(storedTenant())
  let tenantsLoading: Promise<void> | null = null
  let usersLoading: Promise<void> | null = null

  const tenantName = computed(() => {
    const m = new Map(tenants.value.map((t) => [t.id, t.name]))
    return (id: number | null | undefined) => (id == null ? '' : (m.get(id) ?? `#${id}`))
  })
  const userName = computed(() => {
    const m = new Map(users.value.map((u) => [u.id, u.display_name || u.username]))
    return (id: number | null | undefined) => (id == null ? '' : (m.get(id) ?? `#${id}`))
  })
  /** Who an alert can be given to: enabled admins, managers and analysts. */
  const assignees = computed(() =>
    users.value.filter((u) => !u.disabled && ['admin', 'manager', 'analyst'].includes(u.role)),
  )

  function loadTenants(force = false): Promise<void> {
    if (tenantsLoading && !force) return tenantsLoading
    tenantsLoading = collect<Tenant>('/api/v1/tenants', {}, 2000)
      .then((r) => {
        tenants.value = r.items
        tenantsError.value = null
        if (tenantId.value && !r.items.some((t) => t.id === tenantId.value)) setTenant(null)
      })
      .catch((e) => {
        tenantsError.value = e
        tenantsLoading = null
      })
    return tenantsLoading
  }

  /** Staff users (user.read); quietly none for a role without it. */
  function loadUsers(): Promise<void> {
    if (usersLoading) return usersLoading
    usersLoading = collect<User>('/api/v1/users', {}, 2000)
      .then((r) => {
        users.value = r.items.filter((u) => u.tenant_id == null)
      })
      .catch(() => {
        usersLoading = null
      })
    return usersLoading
  }

  function setTenant(id: number | null): void {
    tenantId.value = id
    try {
      if (id) localStorage.setItem(TENANT_KEY, String(id))
      else localStorage.removeItem(TENANT_KEY)
    } catch {
      /* not remembered */
    }
  }

  function reset(): void {
    tenants.value = []
    users.value = []
    tenantsLoading = null
    usersLoading = null
  }

  return {
    tenants,
    users,
    tenantsError,
    tenantId,
    tenantName,
    userName,
    assignees,
    loadTenants,
    loadUsers,
    setTenant,
    reset,
  }
})
