/* metrics.c - request, login and process metrics (see metrics.h). */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const methods[] = { "GET", "POST", "PATCH", "PUT", "DELETE", "HEAD",
				       "other" };
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))
static const int statuses[] = { 200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 429, 500, 503 };
#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]))
static const double buckets[] = { .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))
static const char *const login_outcomes[] = { "ok", "failed", "locked" };

static atomic_ullong requests[NMETHODS][NSTATUSES + 1]; /* last column: other statuses */
static atomic_ullong duration_buckets[NBUCKETS];
static atomic_ullong duration_count;
static atomic_ullong duration_micros;
static atomic_int in_flight;
static atomic_ullong logins[3];
static atomic_llong start_time;

static size_t method_index(const char *method)
{
	for (size_t i = 0; i < NMETHODS - 1; i++)
		if (strcmp(methods[i], method) == 0)
			return i;
	return NMETHODS - 1;
}

static size_t status_index(int status)
{
	for (size_t i = 0; i < NSTATUSES; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUSES;
}

void vg_metrics_request(const char *method, int status, double seconds)
{
	atomic_fetch_add(&requests[method_index(method)][status_index(status)], 1);
	for (size_t i = 0; i < NBUCKETS; i++)
		if (seconds <= buckets[i])
			atomic_fetch_add(&duration_buckets[i], 1);
	atomic_fetch_add(&duration_count, 1);
	atomic_fetch_add(&duration_micros, (unsigned long long)(seconds * 1e6));
}

void vg_metrics_started(void)
{
	atomic_store(&start_time, (long long)time(NULL));
}

void vg_metrics_in_flight(int delta)
{
	atomic_fetch_add(&in_flight, delta);
}

void vg_metrics_login(const char *outcome)
{
	for (size_t i = 0; i < 3; i++)
		if (strcmp(login_outcomes[i], outcome) == 0)
			atomic_fetch_add(&logins[i], 1);
}

static long resident_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

int vg_metrics_render(vg_buf *out)
{
	unsigned long long cumulative;
	int rc;

	rc = vg_buf_printf(out,
			   "# HELP vigil_build_info Version of the running server.\n"
			   "# TYPE vigil_build_info gauge\n"
			   "vigil_build_info{version=\"%s\"} 1\n"
			   "# HELP vigil_http_requests_total HTTP requests answered.\n"
			   "# TYPE vigil_http_requests_total counter\n",
			   VIGIL_VERSION);
	for (size_t m = 0; m < NMETHODS && !rc; m++) {
		for (size_t s = 0; s <= NSTATUSES && !rc; s++) {
			unsigned long long n = atomic_load(&requests[m][s]);

			if (!n)
				continue;
			if (s < NSTATUSES)
				rc = vg_buf_printf(out,
						   "vigil_http_requests_total{method=\"%s\",code=\"%d\"} "
						   "%llu\n", methods[m], statuses[s], n);
			else
				rc = vg_buf_printf(out,
						   "vigil_http_requests_total{method=\"%s\",code=\"other\"} "
						   "%llu\n", methods[m], n);
		}
	}
	if (!rc)
		rc = vg_buf_puts(out, "# HELP vigil_http_request_duration_seconds Time to answer.\n"
				      "# TYPE vigil_http_request_duration_seconds histogram\n");
	cumulative = 0;
	for (size_t i = 0; i < NBUCKETS && !rc; i++) {
		cumulative = atomic_load(&duration_buckets[i]);
		rc = vg_buf_printf(out, "vigil_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
				   buckets[i], cumulative);
	}
	if (!rc)
		rc = vg_buf_printf(
			out,
			"vigil_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
			"vigil_http_request_duration_seconds_sum %.6f\n"
			"vigil_http_request_duration_seconds_count %llu\n"
			"# HELP vigil_http_requests_in_flight Requests being answered now.\n"
			"# TYPE vigil_http_requests_in_flight gauge\n"
			"vigil_http_requests_in_flight %d\n"
			"# HELP vigil_auth_logins_total Login attempts by outcome.\n"
			"# TYPE vigil_auth_logins_total counter\n"
			"vigil_auth_logins_total{outcome=\"ok\"} %llu\n"
			"vigil_auth_logins_total{outcome=\"failed\"} %llu\n"
			"vigil_auth_logins_total{outcome=\"locked\"} %llu\n"
			"# HELP process_resident_memory_bytes Resident memory size.\n"
			"# TYPE process_resident_memory_bytes gauge\n"
			"process_resident_memory_bytes %ld\n"
			"# HELP process_start_time_seconds Start time of the process.\n"
			"# TYPE process_start_time_seconds gauge\n"
			"process_start_time_seconds %lld\n",
			atomic_load(&duration_count), (double)atomic_load(&duration_micros) / 1e6,
			atomic_load(&duration_count), atomic_load(&in_flight),
			atomic_load(&logins[0]), atomic_load(&logins[1]), atomic_load(&logins[2]),
			resident_bytes(), atomic_load(&start_time));
	return rc;
}
