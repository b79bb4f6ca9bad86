/*
 * report_int.h - what the monthly and the incident report share: the words
 * for the store's codes (severities, incident categories, phases and
 * statuses) in the report's language, and instants told in the tenant's
 * time zone; decoding the PNG logos. Private to src/report/.
 */
#ifndef VG_REPORT_INT_H
#define VG_REPORT_INT_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

#include "report/model.h"
#include "store/store.h"

/* OCSF severity_id 1..6 ("严重", "critical"); "unknown" otherwise. */
const char *vg__report_severity(vg_report_lang lang, int severity_id);
/* A security incident's category, response phase or status as stored
 * ("brute_force", "containment", "open"); the code itself when unknown. */
const char *vg__report_category(vg_report_lang lang, const char *category);
const char *vg__report_phase(vg_report_lang lang, const char *phase);
const char *vg__report_status(vg_report_lang lang, const char *status);

/* ms as "YYYY-MM-DD HH:MM" in zone (UTC when the zone is unknown), in
 * r's arena. */
const char *vg__report_local_time(vg_report *r, const char *zone, int64_t ms);
/* The cover's "generated": "YYYY-MM-DD HH:MM (Zone)". */
const char *vg__report_generated(vg_report *r, const char *zone, int64_t ms);

/* n of something as a sentence counts it: in Chinese the number alone
 * (the measure word is the sentence's), in English with the noun, one or
 * many: "1 alert", "1,234 alerts". */
const char *vg__report_count(vg_report *r, int64_t n, const char *one, const char *many);

/* Frees rows and gives the statement's outcome: the error of rc, else of
 * the last vg_rows_next (more < 0), else VG_OK. */
int vg__report_rows_end(vg_rows *rows, int more, int rc);

/* The PNG image of len bytes at png as a new cairo image surface (destroy
 * it); on failure one in an error status (cairo_surface_status), which
 * for a corrupt image may be CAIRO_STATUS_NO_MEMORY too. */
cairo_surface_t *vg__report_png_decode(const void *png, size_t len);

#endif
