/* staff.ts - the staff console's pages, children of the staff layout. */
import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: '',
    name: 'overview',
    component: () => import('@/views/OverviewView.vue'),
    meta: { title: 'common.nav.overview' },
  },
  {
    path: 'alerts',
    name: 'alerts',
    component: () => import('@/views/alerts/AlertQueueView.vue'),
    meta: { title: 'common.nav.alerts' },
  },
  {
    path: 'alerts/:id(\\d+)',
    name: 'alert',
    component: () => import('@/views/alerts/AlertPageView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'alerts.detail.title' },
  },
] as RouteRecordRaw[]
