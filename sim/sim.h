/* sim/sim.h — slicedeck-sim: an emulated pilot-zone 5G core.
 *
 * One HTTP/2 server (core/sbi_server.h) serves every emulated NF; each NF's
 * apiRoot is the same scheme://host:port, the API name in the path tells
 * them apart (legal per TS 29.501). Behind the API sits the synthetic model
 * (sim/model.h), and every answer passes the fault table (sim/fault.h).
 *
 * Life cycle:
 *   sd_sim_new()     build the NF instances from the model; no sockets
 *                    (unit tests call the handlers on this directly)
 *   sd_sim_start()   listen, register routes, start the SBI client for
 *                    notifications, the 1 s tick and the control socket
 *   sd_sim_free()
 *
 * The handlers below are plain sd_sbi_handler functions taking the
 * struct sd_sim as arg; the router in sim.c wraps each with fault
 * injection (sd_sim_serve).
 */
#ifndef SD_SIM_SIM_H
#define SD_SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/loop.h"
#include "core/model.h"
#include "core/sbi_server.h"
#include "sim/fault.h"
#include "sim/model.h"
#include "sim/rng.h"

#define SD_SIM_MAX_NFS   96     /* emulated + registered by peers */
#define SD_SIM_MAX_SUBS  256    /* all kinds together */
#define SD_SIM_MAX_PENDING 512  /* notifications in flight */
#define SD_SIM_HB_MARGIN_MS 2000

/* The behaviour the sim plays. SPEC: what TS 29.510 and friends allow at
 * their richest (SUSPENDED before removal, every optional API). OPEN5GS:
 * what a real Open5GS core does (docs/simulator.md, "Profiles"): a dead
 * NF is deleted from the NRF after one missed heartbeat and comes back
 * under a new instance id; an NF status subscription needs a subscrCond;
 * no NWDAF, no AMF/SMF event exposure, no NSSAI availability, no OAuth2. */
enum sd_sim_profile { SD_SIM_PROFILE_SPEC, SD_SIM_PROFILE_OPEN5GS };
/* "spec" / "open5gs-like" -> the profile; -1 for anything else. */
int sd_sim_profile_parse(const char *s);
const char *sd_sim_profile_name(enum sd_sim_profile p);

struct sd_sim_opts {
	uint64_t seed;
	const char *listen;        /* default "127.0.0.1:7777" */
	const char *control_path;  /* UNIX control socket; NULL = none */
	int hb_timer_s;            /* heartBeatTimer of emulated NFs, default 10 */
	double speed;              /* model clock rate, default 1 (real time) */
	int64_t clock_start_ms;    /* model wall clock at start; 0 = now */
	int utc_offset_min;        /* zone's local time, default +480 (CST) */
	bool churn;                /* NFs come and go at random (seeded) */
	const char *cert_file;     /* TLS (ALPN h2) with this certificate and */
	const char *key_file;      /* key; NULL = cleartext h2c */
	bool advertise_http;       /* profiles say scheme http even over TLS */
	enum sd_sim_profile profile; /* how the core behaves (below) */
};

struct sd_sim_nf {
	char id[40];               /* nfInstanceId */
	char type[16];             /* NFType */
	char name[48];             /* "smf-2", "upf-f1" */
	unsigned incarnation;      /* OPEN5GS: restarts so far (a new id each) */
	int factory;               /* UPF: owning factory; -1 shared */
	bool emulated;             /* false: a peer registered it with PUT */
	bool registered;           /* the NRF lists it */
	enum sd_nf_status status;
	bool down;                 /* fault or churn: no heartbeats */
	int hb_s;
	int64_t last_hb_ms;        /* monotonic */
	json_t *peer_profile;      /* profile a peer PUT (owned) */
	/* The serialised profile last served by GET, reused while what it
	 * shows is unchanged (same second, load and status): building and
	 * dumping the JSON is nine tenths of a GET otherwise. */
	char *prof_text;           /* owned; NULL = none */
	size_t prof_len;
	int64_t prof_sec;
	int prof_load;
	enum sd_nf_status prof_status;
};

enum sd_sim_sub_kind { SD_SUB_NRF, SD_SUB_NSSF, SD_SUB_NWDAF, SD_SUB_AMF, SD_SUB_SMF };

struct sd_sim_sub {
	struct sd_sim *owner;
	bool used;
	enum sd_sim_sub_kind kind;
	char id[24];               /* hex, no '-' (NRF's subscriptionId pattern) */
	char uri[512];             /* where notifications go */
	json_t *req;               /* the accepted subscription body (owned) */
	int period_s;              /* periodic reports; 0 = on events only */
	uint64_t timer;
	int64_t expiry_wall;       /* real wall-clock ms; 0 = none */
	int max_reports;           /* 0 = unlimited */
	int nreports;
	int failures;              /* consecutive failed deliveries */
	int *sessions;             /* SMF: PDU sessions per slice last reported */
	int renewals;              /* PATCH/PUT that extended it */
};

struct sd_sim_route;
struct sd_sbi_client;
struct sd_sim_control;

struct sd_sim_timeline;
struct sd_sim_charging;

struct sd_sim {
	struct sd_loop *loop;
	const struct sd_model *m;  /* borrowed; outlives the sim */
	struct sd_sim_opts o;
	char listen[64];
	char api_root[128];        /* "http://127.0.0.1:7777" */
	char host[64];             /* "127.0.0.1" or "::1" */
	int port;
	struct sd_sbi_server *srv;
	struct sd_sbi_client *cli;
	struct sd_sim_control *ctl;
	struct sd_sim_rng rng;     /* per-request draws (fault probability) */
	struct sd_sim_faults faults;
	struct sd_sim_nf nfs[SD_SIM_MAX_NFS];
	int nnfs;
	struct sd_sim_sub subs[SD_SIM_MAX_SUBS];
	unsigned sub_seq;
	struct sd_sim_route *routes;
	int nroutes;
	int64_t mono_start, wall_start;
	int64_t fixed_time_ms;     /* tests: model time pinned when non-zero */
	int64_t fixed_mono_ms;     /* tests: monotonic time pinned when non-zero */
	uint64_t tick_timer;
	uint64_t slice_avail;      /* bit per slice (first 64): offered by the NSSF */
	int pending;               /* notifications in flight */
	uint64_t notif_sent, notif_failed, notif_dropped;
	uint64_t requests;
	uint64_t padded;            /* answers grown by the pad fault */
	unsigned char jwt_key[32];
	struct sd_sim_timeline *timeline;   /* being played (sim/timeline.h), borrowed */
	struct sd_sim_charging *charging;   /* the SMFs' CHF client (sim/charging.h), owned */
};

struct sd_sim *sd_sim_new(struct sd_loop *loop, const struct sd_model *m,
			  const struct sd_sim_opts *o);
int  sd_sim_start(struct sd_sim *sim, char *err, size_t errsz);
void sd_sim_free(struct sd_sim *sim);

/* Times. Model time drives KPIs (may run faster); monotonic drives
 * heartbeats and fault durations. */
int64_t sd_sim_time(const struct sd_sim *sim);
int64_t sd_sim_mono(const struct sd_sim *sim);

/* The 1 s tick: fault expiry, heartbeats and NF status, churn, NSSF
 * availability changes, notification floods. Public for tests. */
void sd_sim_tick(struct sd_sim *sim);

/* Faults at run time (control socket, --fault). Returns the id or -1 with
 * err. Adding an nf-down or slice-down fault takes effect at once. */
int  sd_sim_fault_add(struct sd_sim *sim, const char *spec, char *err, size_t errsz);
/* Parse spec and check it against the zone (NF names, slice and cell ids)
 * without adding it; out may be NULL. 0 / -1 with err. */
int  sd_sim_fault_check(const struct sd_sim *sim, const char *spec, struct sd_sim_fault *out,
			char *err, size_t errsz);
int  sd_sim_fault_clear(struct sd_sim *sim, int id);

/* Slice helpers. */
void sd_sim_slice_degrade(const struct sd_sim *sim, int idx, struct sd_sim_degrade *dg);
/* One flag per model cell, nonzero while a cell-down fault holds it
 * (sd_free it); NULL when no cell is down. */
uint8_t *sd_sim_cells_down(const struct sd_sim *sim);
void sd_sim_kpi(const struct sd_sim *sim, int idx, struct sd_sim_kpi *k);
/* Index of the slice with this S-NSSAI, -1 when none is configured. */
int  sd_sim_slice_by_snssai(const struct sd_sim *sim, const struct sd_snssai *n);

/* NF instances. */
struct sd_sim_nf *sd_sim_nf_by_id(struct sd_sim *sim, const char *id);
struct sd_sim_nf *sd_sim_nf_by_name(struct sd_sim *sim, const char *name);
/* True while at least one emulated instance of this type is up. */
bool sd_sim_type_up(const struct sd_sim *sim, const char *type);
/* NF load 0..100 at model time. */
int  sd_sim_nf_load(const struct sd_sim *sim, const struct sd_sim_nf *nf);
/* The NFProfile of an instance. services_map: nfServiceList (map, as
 * nf-instances/{id} answers) or nfServices (array, as discovery does). */
json_t *sd_sim_nf_profile(const struct sd_sim *sim, const struct sd_sim_nf *nf,
			  bool services_map);

/* Tell NRF subscribers about an NF (NF_REGISTERED, NF_DEREGISTERED,
 * NF_PROFILE_CHANGED), filtered by their subscrCond and reqNotifEvents. */
void sd_sim_nrf_status_notify(struct sd_sim *sim, struct sd_sim_nf *nf, const char *event);

/* Does the NSSF offer this S-NSSAI in this TAC now? (sim/nssf.c) */
bool sd_sim_nssf_offers(const struct sd_sim *sim, uint32_t tac, const struct sd_snssai *sn);

/* Subscriptions. */
struct sd_sim_sub *sd_sim_sub_new(struct sd_sim *sim, enum sd_sim_sub_kind kind,
				  const char *uri, json_t *req, int period_s);
struct sd_sim_sub *sd_sim_sub_find(struct sd_sim *sim, enum sd_sim_sub_kind kind,
				   const char *id);
void sd_sim_sub_free(struct sd_sim *sim, struct sd_sim_sub *s);
/* Arm the periodic report timer if it is not (after a changed period). */
void sd_sim_sub_rearm(struct sd_sim *sim, struct sd_sim_sub *s);
int  sd_sim_sub_count(const struct sd_sim *sim, enum sd_sim_sub_kind kind);
/* The expiry granted for a requested one (a JSON DateTime, or NULL): as
 * asked, capped at 24 h from now; 24 h when absent or not a date-time. */
int64_t sd_sim_sub_grant(const json_t *requested);
/* A JSON Patch body: false when it is not an array of PatchItem; else
 * *value is the (new reference to the) value of the last replace/add of
 * path, or NULL when none touches it. */
bool sd_sim_sub_patch_expiry(const struct sd_sbi_req *req, const char *path, json_t **value);

/* POST a notification body (stolen) to a subscription's URI with the
 * 3gpp-Sbi-Callback header; dropped (and counted) when the sending NF is
 * down or too many are in flight. */
void sd_sim_notify(struct sd_sim *sim, struct sd_sim_sub *s, const char *callback,
		   json_t *body);

/* Building the periodic report of a subscription (tests call these). */
json_t *sd_sim_nwdaf_report(struct sd_sim *sim, const struct sd_sim_sub *s);
json_t *sd_sim_amf_report(struct sd_sim *sim, const struct sd_sim_sub *s);
json_t *sd_sim_smf_report(struct sd_sim *sim, struct sd_sim_sub *s);
json_t *sd_sim_nssf_report(struct sd_sim *sim, const struct sd_sim_sub *s);

/* Response helpers (fill the struct directly; the body is malloc'd). */
void sd_sim_resp_json(struct sd_sbi_resp *resp, int status, json_t *j);  /* steals j */
/* Problem details shaped like Open5GS's: type = "/<api>/<ver>", title,
 * status, detail, instance, cause (each optional but title). */
void sd_sim_resp_problem(struct sd_sbi_resp *resp, int status, const char *api,
			 const char *title, const char *cause, const char *detail,
			 const char *instance);
void sd_sim_resp_empty(struct sd_sbi_resp *resp, int status);
/* Set a header in the first free extra[] slot (name/value must be static
 * or owned by sim: a small per-response buffer is used for values). */
void sd_sim_resp_location(struct sd_sbi_resp *resp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* JSON helpers. */
json_t *sd_sim_plmn_json(const struct sd_sim *sim);
json_t *sd_sim_tai_json(const struct sd_sim *sim, uint32_t tac);
/* Parse a JSON query parameter; NULL (and a problem set on resp) on error. */
json_t *sd_sim_query_json(const struct sd_sbi_req *req, const char *name, bool *present);
void sd_sim_fmt_time(int64_t wall_ms, char *buf, size_t bufsz);  /* RFC 3339 */
/* BitRate string "12.5 Mbps" from Mbit/s. */
void sd_sim_bitrate(double mbps, char *buf, size_t bufsz);

/* Handlers: NRF (sim/nrf.c) */
void sd_sim_nrf_list(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_get(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_put(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_patch(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_delete(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_subscribe(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_sub_patch(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_sub_delete(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_discover(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nrf_token(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
/* NSSF (sim/nssf.c) */
void sd_sim_nssf_select(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nssf_avail_put(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nssf_subscribe(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nssf_sub_patch(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nssf_sub_delete(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
/* NWDAF (sim/nwdaf.c) */
void sd_sim_nwdaf_analytics(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nwdaf_subscribe(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nwdaf_sub_put(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_nwdaf_sub_delete(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
/* AMF and SMF event exposure (sim/evts.c) */
void sd_sim_amf_subscribe(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_amf_sub_patch(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_amf_sub_delete(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_smf_subscribe(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_smf_sub_get(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_smf_sub_put(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);
void sd_sim_smf_sub_delete(const struct sd_sbi_req *, struct sd_sbi_resp *, void *);

/* The request path through fault injection to a handler, as the server
 * calls it; route is an index into the route table. Public for tests. */
void sd_sim_serve(struct sd_sim *sim, int route, const struct sd_sbi_req *req,
		  struct sd_sbi_resp *resp);
/* Index of the route for method + template, -1 when none. */
int  sd_sim_route_index(const struct sd_sim *sim, const char *method, const char *tmpl);

#endif
