/* hunt.ts - security incidents, the event hunt and detection rules, children of the staff layout. */
import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: 'incidents',
    name: 'incidents',
    component: () => import('@/views/incidents/IncidentListView.vue'),
    meta: { title: 'incidents.list.title' },
  },
  {
    path: 'incidents/:id(\\d+)',
    name: 'incident',
    component: () => import('@/views/incidents/IncidentDetailView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'incidents.detail.title' },
  },
  {
    path: 'events',
    name: 'events',
    component: () => import('@/views/events/EventHuntView.vue'),
    meta: { title: 'events.title' },
  },
  {
    path: 'rules',
    name: 'rules',
    component: () => import('@/views/rules/RuleListView.vue'),
    meta: { title: 'rules.title' },
  },
] as RouteRecordRaw[]
