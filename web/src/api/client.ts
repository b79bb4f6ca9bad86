/*
 * client.ts - the one way the console talks to the Vigil API.
 *
 * Same-origin fetch with the session cookie; JSON in and out; the CSRF
 * token of the login answer (kept in sessionStorage) on every write. An
 * error answer is an RFC 7807 problem: ApiError carries its `detail`, which
 * is what the console shows. A 401 on anything but the login itself means
 * the session has ended: the handler set with onSessionEnded is called
 * (the router sends the user to the login page with a message).
 */

const CSRF_KEY = 'vigil.csrf'
const EXPIRES_KEY = 'vigil.expires_at'

export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
}

export class ApiError extends Error {
  readonly status: number
  readonly detail: string
  readonly problem: Problem | null

  constructor(status: number, detail: string, problem: Problem | null) {
    super(detail)
    this.name = 'ApiError'
    this.status = status
    this.detail = detail
    this.problem = problem
  }
}

/** Thrown for a network failure (server down, proxy gone): status 0. */
export class NetworkError extends ApiError {
  constructor(message: string) {
    super(0, message, null)
    this.name = 'NetworkError'
  }
}

export interface Page<T> {
  items: T[]
  next: string | null
}

export type Query = Record<string, string | number | boolean | null | undefined>

type SessionEndedReason = 'expired' | 'csrf'
let sessionEnded: ((reason: SessionEndedReason) => void) | null = null

/** Who hears that the session has ended; it forgets the session (forgetSession). */
export function onSessionEnded(fn: (reason: SessionEndedReason) => void): void {
  sessionEnded = fn
}

/** Tell the console the session has ended (as a 401 does). */
export function endSession(reason: SessionEndedReason): void {
  sessionEnded?.(reason)
}

export function csrfToken(): string | null {
  try {
    return sessionStorage.getItem(CSRF_KEY)
  } catch {
    return null
  }
}

export function sessionExpiresAt(): string | null {
  try {
    return sessionStorage.getItem(EXPIRES_KEY)
  } catch {
    return null
  }
}

export function keepSession(csrf: string, expiresAt: string): void {
  sessionStorage.setItem(CSRF_KEY, csrf)
  sessionStorage.setItem(EXPIRES_KEY, expiresAt)
}

export function forgetSession(): void {
  try {
    sessionStorage.removeItem(CSRF_KEY)
    sessionStorage.removeItem(EXPIRES_KEY)
  } catch {
    /* storage unavailable: nothing kept */
  }
}

export function queryString(q?: Query): string {
  if (!q) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    p.append(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  signal?: AbortSignal
  /** The login itself: a 401 is a wrong password, not an ended session. */
  login?: boolean
  /** A raw body (an upload: the file itself) with its Content-Type, instead of JSON. */
  raw?: { data: Blob; type: string }
}

async function readProblem(resp: Response): Promise<ApiError> {
  let problem: Problem | null = null
  let detail = ''
  const type = resp.headers.get('Content-Type') ?? ''
  try {
    if (type.includes('json')) {
      problem = (await resp.json()) as Problem
      detail = typeof problem?.detail === 'string' ? problem.detail : ''
    } else {
      detail = (await resp.text()).trim().slice(0, 300)
    }
  } catch {
    /* an unreadable body: fall back on the status line */
  }
  if (!detail) detail = problem?.title || resp.statusText || `HTTP ${resp.status}`
  return new ApiError(resp.status, detail, problem)
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
  const writes = method !== 'GET' && method !== 'HEAD'
  if (writes && !opts.login) {
    const csrf = csrfToken()
    if (csrf) headers['X-CSRF-Token'] = csrf
  }
  let body: string | Blob | undefined
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type
    body = opts.raw.data
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  } else if (writes && method !== 'DELETE') {
    // Every JSON write route parses a body; an empty object is the "no fields" one.
    headers['Content-Type'] = 'application/json'
    body = '{}'
  }
  let resp: Response
  try {
    resp = await fetch(path + queryString(opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new NetworkError(e instanceof Error ? e.message : String(e))
  }
  if (!resp.ok) {
    const err = await readProblem(resp)
    if (!opts.login && resp.status === 401) {
      sessionEnded?.('expired')
    } else if (writes && resp.status === 403 && /csrf/i.test(err.detail)) {
      // The session lives in the cookie but this tab has no CSRF token
      // (a tab opened without the login's sessionStorage): log in again.
      sessionEnded?.('csrf')
    }
    throw err
  }
  if (resp.status === 204) return undefined as T
  const type = resp.headers.get('Content-Type') ?? ''
  if (type.includes('json')) return (await resp.json()) as T
  return (await resp.text()) as unknown as T
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** POST a file itself as the body (an upload), with its Content-Type. */
  upload: <T>(path: string, data: Blob, type: string, query?: Query) => request<T>('POST', path, { raw: { data, type }, query }),
}

/** The detail to show for whatever a call threw. */
export function errorDetail(e: unknown): string {
  if (e instanceof ApiError) return e.detail
  if (e instanceof Error) return e.message
  return String(e)
}

/**
 * Every item of a cursor-paginated list, page after page, up to max items.
 * Answers the items and whether more were left unread.
 */
export async function collect<T>(
  path: string,
  query: Query,
  max: number,
  signal?: AbortSignal,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = []
  let cursor: string | null = null
  for (;;) {
    const limit = Math.min(500, max - items.length)
    const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit, cursor }, signal)
    items.push(...page.items)
    cursor = page.next
    if (!cursor) return { items, more: false }
    if (items.length >= max) return { items, more: true }
  }
}
