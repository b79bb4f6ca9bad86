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

struct listener {
	vg_listeners *all;
	vg_source src;
	bool tcp;
	int fd;
	int port;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock; /* connections */
	connection *conns;
	size_t nconns;
};

struct vg_listeners {
	vg_pipeline *p;
	size_t max_event;
	atomic_bool stop;
	listener *v;
	size_t n;
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

static bool wait_readable(const vg_listeners *all, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!atomic_load(&all->stop)) {
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
	while (wait_readable(l->all, l->fd)) {
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
	while (!eof && wait_readable(l->all, c->fd)) {
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

	while (wait_readable(l->all, l->fd)) {
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

int vg_listeners_start(vg_pipeline *p, vg_app *app, const vg_source *sources, size_t n,
		       vg_listeners **out, vg_error *err)
{
	vg_listeners *ls = vg_xcalloc(1, sizeof(*ls));
	size_t i;
	int rc = VG_OK;

	*out = NULL;
	ls->p = p;
	ls->max_event = (size_t)app->config.ingest_max_event_bytes;
	ls->v = vg_xcalloc(n + 1, sizeof(*ls->v));
	for (i = 0; i < n && rc == VG_OK; i++) {
		listener *l = &ls->v[ls->n];

		l->all = ls;
		l->src = sources[i];
		l->fd = -1;
		pthread_mutex_init(&l->lock, NULL);
		ls->n++;
		rc = bind_listen(l, err);
		if (rc == VG_OK && pthread_create(&l->thread, NULL, l->tcp ? serve_tcp : serve_udp, l))
			rc = vg_error_set(err, VG_EIO, "listen %s: cannot start a thread", l->src.listen);
		if (rc == VG_OK) {
			l->started = true;
			vg_info("syslog", "source %lld listens on %s (port %d)", (long long)l->src.id,
				l->src.listen, l->port);
		}
	}
	if (rc) {
		vg_listeners_stop(ls);
		return rc;
	}
	*out = ls;
	return VG_OK;
}

int vg_listeners_port(const vg_listeners *l, int64_t source_id)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if (l->v[i].src.id == source_id)
			return l->v[i].port;
	return 0;
}

void vg_listeners_stop(vg_listeners *ls)
{
	size_t i;

	if (!ls)
		return;
	atomic_store(&ls->stop, true);
	for (i = 0; i < ls->n; i++) {
		listener *l = &ls->v[i];

		if (l->started)
			pthread_join(l->thread, NULL);
		if (l->fd >= 0)
			close(l->fd);
		pthread_mutex_destroy(&l->lock);
	}
	free(ls->v);
	free(ls);
}
