/* portal.ts - the customers' pages, children of the portal layout at /portal. */
import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: '',
    name: 'portal-home',
    component: () => import('@/views/portal/PortalSummaryView.vue'),
    meta: { title: 'portal.summary.title' },
  },
  {
    path: 'tickets',
    name: 'portal-tickets',
    component: () => import('@/views/portal/PortalTicketListView.vue'),
    meta: { title: 'portal.tickets.title' },
  },
  {
    path: 'tickets/new',
    name: 'portal-ticket-new',
    component: () => import('@/views/portal/PortalTicketNewView.vue'),
    meta: { title: 'portal.create.title' },
  },
  {
    path: 'tickets/:id(\\d+)',
    name: 'portal-ticket',
    component: () => import('@/views/portal/PortalTicketView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'portal.ticket.title' },
  },
  {
    path: 'reports',
    name: 'portal-reports',
    component: () => import('@/views/portal/PortalReportListView.vue'),
    meta: { title: 'portal.reports.title' },
  },
] as RouteRecordRaw[]
