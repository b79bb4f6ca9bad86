/*
 * index.ts - the console's routes, composed from each area's own list:
 *
 *   staff.ts    children of the staff layout at "/" (overview, alerts)
 *   tickets.ts  children of the staff layout too (the tickets pages)
 *   hunt.ts     incidents, the event hunt, rules (staff layout)
 *   reports.ts  the reports page (staff layout)
 *   admin.ts    tenants, users, channels, audit, assets (staff layout)
 *   portal.ts   children of the customers' layout at "/portal"
 *
 * A child's path may be relative ("tickets/:id") or absolute ("/tickets").
 * Staff reach only the staff layout, customers (customer_admin,
 * customer_user) only "/portal"; without a session every page but the
 * login sends to the login, and back to the page after it.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import staff from './staff'
import tickets from './tickets'
import hunt from './hunt'
import admin from './admin'
import reports from './reports'
import portal from './portal'
import { useSession } from '@/stores/session'
import { i18n } from '@/i18n'

declare module 'vue-router' {
  interface RouteMeta {
    /** An i18n key for the page's title. */
    title?: string
    /** No session needed (the login page). */
    public?: boolean
    /** Which layout's tree a route heads: staff, or the customers' portal. */
    area?: 'staff' | 'portal'
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { public: true, title: 'common.login.title' },
  },
  {
    path: '/portal',
    component: () => import('@/layouts/PortalLayout.vue'),
    meta: { area: 'portal' },
    children: portal,
  },
  {
    path: '/',
    component: () => import('@/layouts/StaffLayout.vue'),
    meta: { area: 'staff' },
    children: [...staff, ...tickets, ...hunt, ...reports, ...admin],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { public: true, title: 'common.notFound.title' },
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach(async (to) => {
  const session = useSession()
  if (to.meta.public) {
    if (to.name === 'login' && session.loaded && session.me) return session.isCustomer ? '/portal' : '/'
    return true
  }
  const me = await session.load()
  if (!me) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const area = to.matched[0]?.meta.area
  if (session.isCustomer && area !== 'portal') return '/portal'
  if (!session.isCustomer && area === 'portal') return '/'
  return true
})

router.afterEach((to) => {
  const key = [...to.matched].reverse().find((r) => r.meta.title)?.meta.title
  const t = i18n.global.t
  document.title = key ? `${t(key)} · Vigil` : 'Vigil'
})
