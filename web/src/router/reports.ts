/* reports.ts - the staff's reports page, a child of the staff layout (the portal's is in portal.ts). */
import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: 'reports',
    name: 'reports',
    component: () => import('@/views/reports/ReportListView.vue'),
    meta: { title: 'reports.list.title' },
  },
] as RouteRecordRaw[]
