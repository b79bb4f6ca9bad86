/* tickets.ts - the staff's ticket pages, children of the staff layout. */
import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: 'tickets',
    name: 'tickets',
    component: () => import('@/views/tickets/TicketListView.vue'),
    meta: { title: 'tickets.list.title' },
  },
  {
    path: 'tickets/:id(\\d+)',
    name: 'ticket',
    component: () => import('@/views/tickets/TicketDetailView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'tickets.detail.title' },
  },
] as RouteRecordRaw[]
