import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { csrfToken, endSession, onSessionEnded } from './api/client'
import { useSession } from './stores/session'
import { useDirectory } from './stores/directory'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(ElementPlus)
app.use(router)

// Any 401 (or a write refused for want of this tab's CSRF token) ends the
// session: to the login, which says why, and back here after it. The first
// /me of a visitor who never logged in here is no ended session.
onSessionEnded((reason) => {
  const session = useSession()
  if (!session.me && !csrfToken()) return // no session here to end (or ended already)
  const initial = !session.loaded
  session.ended(reason)
  useDirectory().reset()
  if (initial) return // the router's guard is sending to the login already
  const here = router.currentRoute.value
  if (here.name !== 'login' && !here.meta.public) {
    router.push({ name: 'login', query: here.fullPath !== '/' ? { redirect: here.fullPath } : {} })
  }
})

// The session's hard end (expires_at of the login) without waiting for a 401.
window.setInterval(() => {
  const session = useSession()
  if (session.me && session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) endSession('expired')
}, 30_000)

app.mount('#app')
