/* listener.c - syslog listeners on UDP and TCP (see listener.h). */
#include "pipeline/listener.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "ingest/syslog_frame.h"

#define POLL_MS 100
#define UDP_BATCH 1000
#define UDP_DATAGRAM_MAX 65536
#define TCP_CONNECTIONS_MAX 256

typedef struct listener listener;

typedef struct connection {
	listener *l;
	int fd;
	pthread_t thread;
	atomic_bool done;
	struct connection *next;
} connection;

/* One source's listener. One that could not be bound stays in the set,
 * not started, so that it is reported once rather than at every sync. */
struct listener {
	vg_listeners *all;
	vg_source src;
	bool tcp;
	int fd;
	int port;
	pthread_t thread;
	bool started;
	atomic_bool stop;
	pthread_mutex_t lock; /* connections */
	connection *conns;
	size_t nconns;
};

struct vg_listeners {
	vg_pipeline *p;
	size_t max_event;
	atomic_bool stop;
	listener **v;
	size_t n, cap;
};

/* "udp://HOST:PORT" into a bound socket. */
static int bind_listen(listener *l, vg_error *err)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *res = NULL, *ai;
	char host[128];
	const char *spec = l->src.listen + 6, *colon = strrchr(spec, ':');
	size_t hlen = colon ? (size_t)(colon - spec) : 0;
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	int fd = -1, one = 1, gai;

	l->tcp = strncmp(l->src.listen, "tcp://", 6) == 0;
	if (!colon || hlen >= sizeof(host))
		return vg_error_set(err, VG_EINVAL, "source %lld: bad listen %s",
				    (long long)l->src.id, l->src.listen);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		spec++;
		hlen -= 2;
	}
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	hints.ai_socktype = l->tcp ? SOCK_STREAM : SOCK_DGRAM;
	gai = getaddrinfo(host, colon + 1, &hints, &res);
	if (gai)
		return vg_error_set(err, VG_EIO, "listen %s: %s", l->src.listen, gai_strerror(gai));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && (!l->tcp || listen(fd, 64) == 0))
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "listen %s: %s", l->src.listen, strerror(errno));
	if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
		l->port = ntohs(bound.ss_family == AF_INET6
					? ((struct sockaddr_in6 *)&bound)->sin6_port
					: ((struct sockaddr_in *)&bound)->sin_port);
	l->fd = fd;
	return VG_OK;
}

static bool wait_readable(listener *l, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!atomic_load(&l->all->stop) && !atomic_load(&l->stop)) {
		int n = poll(&pfd, 1, POLL_MS);

		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
	return false;
}

static void log_failure(const listener *l, const vg_error *err)
{
	vg_err("syslog", "source %lld (%s): %s", (long long)l->src.id, l->src.listen, err->msg);
}

static void *serve_udp(void *arg)
{
	listener *l = arg;
	char *buf = vg_xmalloc(UDP_DATAGRAM_MAX);
	vg_ingest *in = NULL;
	vg_error err = { 0 };

	if (vg_ingest_begin(l->all->p, &l->src, NULL, &in, &err)) {
		log_failure(l, &err);
		free(buf);
		return NULL;
	}
	while (wait_readable(l, l->fd)) {
		int n;

		for (n = 0; n < UDP_BATCH; n++) {
			ssize_t got = recv(l->fd, buf, UDP_DATAGRAM_MAX, MSG_DONTWAIT);

			if (got < 0)
				break;
			if (vg_ingest_add_record(in, buf, (size_t)got, &err))
				log_failure(l, &err);
		}
		if (vg_ingest_commit(in, &err))
			log_failure(l, &err);
	}
	vg_ingest_end(in);
	free(buf);
	return NULL;
}

/* Reads a connection: the complete frames of each read are committed
 * before the next read. */
static void *serve_connection(void *arg)
{
	connection *c = arg;
	listener *l = c->l;
	vg_syslog_framer framer = { .max = l->all->max_event };
	size_t cap = 2 * l->all->max_event + 65536, have = 0;
	char *buf = vg_xmalloc(cap);
	vg_ingest *in = NULL;
	vg_error err = { 0 };
	bool eof = false;

	if (vg_ingest_begin(l->all->p, &l->src, NULL, &in, &err)) {
		log_failure(l, &err);
		goto out;
	}
	while (!eof && wait_readable(l, c->fd)) {
		ssize_t got = read(c->fd, buf + have, cap - have);
		size_t at = 0;
		int rc = VG_OK;

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			eof = true;
		else
			have += (size_t)got;
		for (;;) {
			vg_str frame;
			vg_reject rej;
			size_t used;
			enum vg_frame_result fr = vg_syslog_frame_next(&framer, buf + at, have - at, eof,
								      &frame, &used, &rej);

			at += used;
			if (fr == VG_FRAME_OK)
				rc = vg_ingest_add_record(in, frame.ptr, frame.len, &err);
			else if (fr == VG_FRAME_REFUSED)
				vg_ingest_reject(in, &rej);
			else if (!used)
				break;
			if (rc)
				break;
		}
		if (rc == VG_OK)
			rc = vg_ingest_commit(in, &err);
		if (rc) {
			/* Nothing more is read: the sender sees the connection end. */
			log_failure(l, &err);
			break;
		}
		memmove(buf, buf + at, have - at);
		have -= at;
	}
out:
	vg_ingest_end(in);
	free(buf);
	close(c->fd);
	atomic_store(&c->done, true);
	return NULL;
}

/* Joins the connections that ended (all of them when all is set). */
static void reap(listener *l, bool all)
{
	connection **pp = &l->conns, *c;

	pthread_mutex_lock(&l->lock);
	while ((c = *pp) != NULL) {
		if (all || atomic_load(&c->done)) {
			*pp = c->next;
			pthread_join(c->thread, NULL);
			free(c);
			l->nconns--;
		} else {
			pp = &c->next;
		}
	}
	pthread_mutex_unlock(&l->lock);
}

static void *serve_tcp(void *arg)
{
	listener *l = arg;

	while (wait_readable(l, l->fd)) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
		connection *c;

		reap(l, false);
		if (fd < 0)
			continue;
		if (l->nconns >= TCP_CONNECTIONS_MAX) {
			vg_warn("syslog", "source %lld (%s): more than %d connections, refusing one",
				(long long)l->src.id, l->src.listen, TCP_CONNECTIONS_MAX);
			close(fd);
			continue;
		}
		c = vg_xcalloc(1, sizeof(*c));
		c->l = l;
		c->fd = fd;
		if (pthread_create(&c->thread, NULL, serve_connection, c) != 0) {
			close(fd);
			free(c);
			continue;
		}
		pthread_mutex_lock(&l->lock);
		c->next = l->conns;
		l->conns = c;
		l->nconns++;
		pthread_mutex_unlock(&l->lock);
	}
	reap(l, true);
	return NULL;
}

/* Binds and starts the listener of src, added to the set either way (see
 * struct listener). */
static int start_one(vg_listeners *ls, const vg_source *src, vg_error *err)
{
	listener *l = vg_xcalloc(1, sizeof(*l));
	int rc;

	l->all = ls;
	l->src = *src;
	l->fd = -1;
	atomic_init(&l->stop, false);
	pthread_mutex_init(&l->lock, NULL);
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 8;
		ls->v = vg_xrealloc(ls->v, ls->cap * sizeof(*ls->v));
	}
	ls->v[ls->n++] = l;
	rc = bind_listen(l, err);
	if (rc == VG_OK && pthread_create(&l->thread, NULL, l->tcp ? serve_tcp : serve_udp, l))
		rc = vg_error_set(err, VG_EIO, "listen %s: cannot start a thread", l->src.listen);
	if (rc)
		return rc;
	l->started = true;
	vg_info("syslog", "source %lld listens on %s (port %d)", (long long)l->src.id, l->src.listen,
		l->port);
	return VG_OK;
}

/* Stops l after its connections' current batches, and frees it. */
static void stop_one(listener *l)
{
	atomic_store(&l->stop, true);
	if (l->started)
		pthread_join(l->thread, NULL);
	if (l->fd >= 0)
		close(l->fd);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* True when l serves src as it now is. */
static bool serves(const listener *l, const vg_source *src)
{
	return l->src.id == src->id && l->src.tenant_id == src->tenant_id &&
	       strcmp(l->src.listen, src->listen) == 0 && strcmp(l->src.type, src->type) == 0;
}

int vg_listeners_sync(vg_listeners *ls, const vg_source *sources, size_t n, vg_error *err)
{
	int first = VG_OK;
	size_t i, k;

	for (i = ls->n; i-- > 0;) {
		for (k = 0; k < n && !serves(ls->v[i], &sources[k]); k++)
			;
		if (k < n)
			continue;
		vg_info("syslog", "source %lld stops listening on %s", (long long)ls->v[i]->src.id,
			ls->v[i]->src.listen);
		stop_one(ls->v[i]);
		ls->v[i] = ls->v[--ls->n];
	}
	for (k = 0; k < n; k++) {
		vg_error one = { 0 };

		for (i = 0; i < ls->n && ls->v[i]->src.id != sources[k].id; i++)
			;
		if (i < ls->n || start_one(ls, &sources[k], &one) == VG_OK)
			continue;
		if (first == VG_OK) {
			first = one.code;
			if (err)
				*err = one;
		}
	}
	return first;
}

int vg_listeners_start(vg_pipeline *p, vg_app *app, const vg_source *sources, size_t n,
		       vg_listeners **out, vg_error *err)
{
	vg_listeners *ls = vg_xcalloc(1, sizeof(*ls));
	int rc;

	*out = NULL;
	ls->p = p;
	ls->max_event = (size_t)app->config.ingest_max_event_bytes;
	atomic_init(&ls->stop, false);
	rc = vg_listeners_sync(ls, sources, n, err);
	if (rc) {
		vg_listeners_stop(ls);
		return rc;
	}
	*out = ls;
	return VG_OK;
}

void vg_listeners_stop(vg_listeners *ls)
{
	size_t i;

	if (!ls)
		return;
	atomic_store(&ls->stop, true);
	for (i = 0; i < ls->n; i++)
		stop_one(ls->v[i]);
	free(ls->v);
	free(ls);
}
