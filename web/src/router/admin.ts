/*
 * admin.ts - the staff's admin pages, children of the staff layout:
 * tenants and contracts, users and API tokens, notification channels and
 * deliveries, the audit trail, assets. adminNav is what the layout shows
 * (each entry only to a role with its permission).
 */
import type { RouteRecordRaw } from 'vue-router'
import { OfficeBuilding, User, ChatDotRound, Document, Monitor } from '@element-plus/icons-vue'

export const adminNav: { name: string; label: string; perm: string; icon: typeof OfficeBuilding }[] = [
  { name: 'tenants', label: 'admin.nav.tenants', perm: 'tenant.read', icon: OfficeBuilding },
  { name: 'users', label: 'admin.nav.users', perm: 'user.read', icon: User },
  { name: 'channels', label: 'admin.nav.channels', perm: 'channel.read', icon: ChatDotRound },
  { name: 'audit', label: 'admin.nav.audit', perm: 'audit.read', icon: Document },
  { name: 'assets', label: 'admin.nav.assets', perm: 'asset.read', icon: Monitor },
]

const id = (route: { params: Record<string, unknown> }) => ({ id: Number(route.params.id) })

export default [
  { path: 'tenants', name: 'tenants', component: () => import('@/views/admin/TenantListView.vue'), meta: { title: 'admin.tenants.title' } },
  {
    path: 'tenants/:id(\\d+)',
    name: 'tenants-detail',
    component: () => import('@/views/admin/TenantDetailView.vue'),
    props: id,
    meta: { title: 'admin.tenants.detail' },
  },
  { path: 'users', name: 'users', component: () => import('@/views/admin/UserListView.vue'), meta: { title: 'admin.users.title' } },
  { path: 'tokens', name: 'users-tokens', component: () => import('@/views/admin/TokenListView.vue'), meta: { title: 'admin.tokens.title' } },
  { path: 'channels', name: 'channels', component: () => import('@/views/admin/ChannelListView.vue'), meta: { title: 'admin.channels.title' } },
  {
    path: 'deliveries',
    name: 'channels-deliveries',
    component: () => import('@/views/admin/DeliveryListView.vue'),
    meta: { title: 'admin.deliveries.title' },
  },
  { path: 'audit', name: 'audit', component: () => import('@/views/admin/AuditView.vue'), meta: { title: 'admin.audit.title' } },
  { path: 'assets', name: 'assets', component: () => import('@/views/admin/AssetListView.vue'), meta: { title: 'admin.assets.title' } },
  {
    path: 'assets/:id(\\d+)',
    name: 'assets-detail',
    component: () => import('@/views/admin/AssetDetailView.vue'),
    props: id,
    meta: { title: 'admin.assets.detail' },
  },
] as RouteRecordRaw[]
