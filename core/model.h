/* core/model.h — the domain model: PLMN, factory, site, cell, slice, SLA
 * profile, scenario, NF instance.
 *
 * The engine owns one struct sd_model for its whole life. The
 * configuration (core/config.h) builds a model of what it declares, which
 * the engine merges in by id (sd_model_merge_declared) at start and on
 * every reload; slices created at run time live beside the declared ones
 * (enum sd_origin) and persist in the engine's store. Collectors update
 * the live parts (NF instances, slices' observed state). Objects refer to
 * each other by index into the model's arrays (re-resolved by id on every
 * merge, so keep ids, not indexes, across loop turns); lookups by id, NCI
 * and S-NSSAI go through hash indexes (sd_model_reindex).
 *
 * Ids are short ASCII tokens: [A-Za-z0-9_.-], 1..SD_ID_MAX-1 characters.
 */
#ifndef SD_MODEL_H
#define SD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snssai.h"

#define SD_ID_MAX    32
#define SD_NAME_MAX  96
#define SD_MAX_DNNS  8
/* S-NSSAIs kept per NF instance: one SMF of a 100,000-slice zone may
 * serve thousands; a profile listing more keeps the first ones (with a
 * decoder note). */
#define SD_MAX_NF_SNSSAI 131072

struct sd_plmn {
	char mcc[4];    /* 3 digits */
	char mnc[4];    /* 2 or 3 digits, leading zeros kept */
};

/* Private network mode, as the pilot-zone guide names them. */
enum sd_pn_mode {
	SD_MODE_VIRTUAL,      /* shared RAN and core, slice/DNN/QoS isolation */
	SD_MODE_HYBRID,       /* shared RAN, on-premises UPF/MEC */
	SD_MODE_INDEPENDENT,  /* dedicated RAN and core on site */
	SD_MODE_COUNT
};

/* "5G factory" level of the deployment. */
enum sd_factory_level {
	SD_LEVEL_LINE,
	SD_LEVEL_WORKSHOP,
	SD_LEVEL_FACTORY,
	SD_LEVEL_COUNT
};

enum sd_slice_state {
	SD_SLICE_REQUESTED,
	SD_SLICE_ADMITTED,
	SD_SLICE_ACTIVE,
	SD_SLICE_SUSPENDED,
	SD_SLICE_DECOMMISSIONED,
	SD_SLICE_REJECTED,
	SD_SLICE_STATE_COUNT
};

/* Where an object comes from, so a reload knows what it may replace:
 * the configuration's declared inventory, an operator's run-time action
 * (the lifecycle issue; persisted in the engine's store), or a plugin. */
enum sd_origin {
	SD_ORIGIN_CONFIG,          /* zero: what a config load produces */
	SD_ORIGIN_RUNTIME,
	SD_ORIGIN_PLUGIN,
	SD_ORIGIN_COUNT
};

const char *sd_origin_name(enum sd_origin o);
const char *sd_pn_mode_name(enum sd_pn_mode m);
const char *sd_level_name(enum sd_factory_level l);
const char *sd_slice_state_name(enum sd_slice_state s);
/* Name -> enum value, or -1. */
int sd_pn_mode_parse(const char *s);
int sd_level_parse(const char *s);
int sd_slice_state_parse(const char *s);

/* What a slice is sold against. Zero means "not part of the contract". */
struct sd_sla_profile {
	uint64_t gbr_ul_kbps;      /* guaranteed bit rates, kbit/s */
	uint64_t gbr_dl_kbps;
	uint64_t mbr_ul_kbps;      /* maximum bit rates, kbit/s */
	uint64_t mbr_dl_kbps;
	uint32_t latency_us;       /* one-way E2E bound, microseconds */
	double   latency_pct;      /* percentile the bound holds at, e.g. 99.9 */
	double   reliability_pct;  /* packets delivered within the bound, % */
	double   availability_pct; /* service availability per month, % */
	uint32_t max_ues;
	uint8_t  fiveqi;           /* 0: none stated */
};

/* One of the guide's 20 typical "5G + Industrial Internet" scenarios, a
 * slice template (slicing/scenario.c holds the catalog). */
struct sd_scenario {
	const char *id;            /* "machine-vision-qc" */
	int number;                /* 1..20 in the MIIT list */
	const char *name;          /* English name */
	const char *name_zh;       /* Chinese name as in the guide */
	uint8_t sst;
	struct sd_sla_profile sla; /* template defaults */
	enum sd_factory_level level;
	/* bit per enum sd_pn_mode the template is suited to */
	unsigned modes;
	bool needs_local_upf;      /* bound <= 10 ms or data must stay on site */
	const char *sources;       /* source keys from the catalog research */
};

struct sd_cell {
	char id[SD_ID_MAX];
	char name[SD_NAME_MAX];
	int site;                  /* index into model->sites */
	uint64_t nci;              /* 36-bit NR cell identity (NCGI = PLMN + NCI) */
	uint32_t tac;              /* 24-bit tracking area code */
	double x_m, y_m;           /* position on the site plan, metres */
	uint32_t pci;              /* physical cell id 0..1007, informational */
	/* radio, for coverage prediction (monitor/coverage.h) */
	double antenna_height_m;   /* antenna above the floor, metres */
	double tx_power_dbm;       /* total transmit power of the carrier */
	double carrier_ghz;        /* carrier frequency (FR1) */
	int bandwidth_mhz;         /* channel bandwidth; 30 kHz subcarriers */
	/* what admission control may share out (slicing/admission.h): the
	 * cell's UL and DL capacity, kbit/s; 0 = the zone's default */
	uint64_t ul_capacity_kbps;
	uint64_t dl_capacity_kbps;
};

/* Where a site's cells radiate (TR 38.901 scenario family). */
enum sd_site_env {
	SD_ENV_HALL,               /* indoor factory hall: InF-SL/DL/SH/DH */
	SD_ENV_YARD,               /* outdoor yard: UMi street canyon */
};
int sd_site_env_parse(const char *s);
/* Resource blocks of an NR FR1 carrier at 30 kHz subcarrier spacing
 * (TS 38.101-1 Table 5.3.2-1) for a channel bandwidth in MHz; 0 when the
 * table has no such bandwidth. */
int sd_nr_rbs_30khz(int bandwidth_mhz);
const char *sd_site_env_name(enum sd_site_env e);

struct sd_site {
	char id[SD_ID_MAX];
	char name[SD_NAME_MAX];
	int factory;               /* index into model->factories */
	double lat, lon;           /* WGS84 degrees */
	double width_m, height_m;  /* site plan extent for coverage maps */
	enum sd_site_env env;
	double clutter_pct;        /* clutter density r, % of the floor */
	double clutter_height_m;   /* typical height of machines, racks */
	double clutter_size_m;     /* typical clutter size; 0: by density */
};

struct sd_factory {
	char id[SD_ID_MAX];
	char name[SD_NAME_MAX];
	char industry[SD_NAME_MAX];
	char zone[SD_NAME_MAX];    /* county / industrial park of the pilot zone */
	enum sd_pn_mode mode;
	enum sd_factory_level level;
	int security_grade;        /* 1..3, industrial-internet security grading */
	char dnns[SD_MAX_DNNS][64];
	int ndnns;
	char tariff[SD_ID_MAX];    /* tariff id, "" for the mode's default */
	/* contracted limits admission control holds (0 = none): slices in
	 * the admitted, active and suspended states, and their UEs */
	uint32_t max_slices;
	uint32_t max_ues;
};

/* What the collectors last observed for a slice (the KPI store of a later
 * issue keeps the history). Negative values mean "not known yet". */
struct sd_slice_live {
	int load_level;            /* NWDAF slice load level (loadLevelInformation) */
	long ues;                  /* AMF UES_IN_AREA_REPORT numberOfUes */
	long pdu_sessions;         /* SMF: established - released, seen by us */
	double delay_ms;           /* mean of the last QoS-monitoring packet delays */
	int tas_total;             /* tracking areas of the slice's cells: from the
				    * inventory, set by sd_model_reindex, known
				    * without any NF */
	int tas_available;         /* of those, where the NSSF lists the S-NSSAI */
	int64_t updated_ms;        /* wall clock of the last update, 0 = never */
};

struct sd_slice {
	char id[SD_ID_MAX];
	char name[SD_NAME_MAX];
	struct sd_snssai snssai;
	int factory;               /* owner: index into model->factories */
	const struct sd_scenario *scenario;
	char dnn[64];
	struct sd_sla_profile sla; /* scenario defaults overridden by the contract */
	enum sd_slice_state state;
	int *sites;                /* indexes of the sites it serves */
	int nsites;
	struct sd_slice_live live; /* observed, not configured */
	enum sd_origin origin;     /* who declared it; factories, sites, cells are config-only */
};

enum sd_nf_status {
	SD_NF_REGISTERED,
	SD_NF_SUSPENDED,
	SD_NF_UNDISCOVERABLE,
	SD_NF_STATUS_OTHER         /* a value this build does not know */
};
const char *sd_nf_status_name(enum sd_nf_status s);

/* An NF instance as a source reports it (the NRF today; plugins later),
 * plus what we observed. It owns heap memory (snssais): copy, move and
 * free it only with the helpers of core/model_nf.h, never with = or
 * memcpy (sd_nf_instance_copy / _move / _done). */
struct sd_nf_instance {
	char id[40];               /* nfInstanceId (UUID) */
	char type[16];             /* NFType: AMF, SMF, ... (unknown kept as sent) */
	char name[SD_NAME_MAX];    /* nfInstanceName, sanitised */
	char source[16];           /* who reports it: "nrf", a plugin's name */
	enum sd_nf_status status;
	int load;                  /* 0..100 percent, -1 when not reported */
	int heartbeat_s;           /* heartBeatTimer, 0 when not reported */
	char addr[64];             /* first ipv4/ipv6 address or fqdn */
	/* The S-NSSAIs it serves: distinct, in the order the profile lists
	 * them; heap (NULL when none), at most SD_MAX_NF_SNSSAI. */
	struct sd_snssai *snssais;
	int nsnssais;
	char services[8][32];      /* service names */
	int nservices;
	/* observed */
	int64_t last_seen_ms;      /* wall clock of the last good profile */
	bool reachable;            /* REGISTERED and not marked unreachable by
				    * the SBI client's probes of this instance */
	bool stale;                /* last update failed; this is the previous view */
};

struct sd_model_ix;
struct sd_model_nfix;

struct sd_model {
	struct sd_plmn plmn;
	char zone_name[SD_NAME_MAX];
	struct sd_factory *factories; int nfactories;
	struct sd_site *sites;        int nsites;
	struct sd_cell *cells;        int ncells;
	struct sd_slice *slices;      int nslices;
	struct sd_nf_instance *nfs;   int nnfs;
	/* Lookup tables over the arrays above (model.c), rebuilt by
	 * sd_model_reindex; NULL until the first one. */
	struct sd_model_ix *ix;
	/* The NF instances' id index, kept in step by the functions of
	 * core/model_nf.h (O(1) sd_model_nf_find); NULL until the first of
	 * them runs. Freed by sd_model_nfs_clear. */
	struct sd_model_nfix *nf_index;
};

/* Indexes. Lookups by id, NCI and S-NSSAI and the per-owner lists below
 * are O(1) through tables that sd_model_reindex builds (linear in the
 * model's size). Call it after every structural change — an object added
 * or removed, an array reallocated, an id, NCI, S-NSSAI or owner index
 * changed; sd_model_merge_declared, sd_model_add_slice,
 * sd_model_remove_slice and sd_model_store_load do it themselves. Changes
 * to other fields (live state, a slice's state, names) need none.
 *
 * Before the first reindex, or when the arrays visibly moved since (other
 * pointer or count), every lookup falls back to a linear scan, so a model
 * under construction (the config loader) still answers correctly.
 *
 * Returns how many duplicate keys it met (ids within one kind, NCIs); the
 * first object with a key wins its lookups. 0 for a valid model. */
int sd_model_reindex(struct sd_model *m);
/* The distinct TACs of slice s's cells (its sites', or its factory's when it
 * names none), at most max: how many. */
#define SD_SLICE_MAX_TACS 256
int sd_model_slice_tacs(const struct sd_model *m, const struct sd_slice *s, uint32_t *tacs,
			int max);

/* Lookups by id; -1 when absent. */
int sd_model_factory_index(const struct sd_model *m, const char *id);
int sd_model_site_index(const struct sd_model *m, const char *id);
int sd_model_cell_index(const struct sd_model *m, const char *id);
int sd_model_slice_index(const struct sd_model *m, const char *id);
/* The cell with this 36-bit NR cell identity, or -1. */
int sd_model_cell_by_nci(const struct sd_model *m, uint64_t nci);
/* How many slices carry exactly this S-NSSAI (SST and SD; "no SD" is its
 * own value); *idx points at their indexes, ascending. The array belongs
 * to the model: valid until the next reindex or model change (and, on the
 * unindexed fallback, until the next call). *idx is NULL when 0. */
int sd_model_slices_by_snssai(const struct sd_model *m, const struct sd_snssai *sn,
			      const int **idx);
/* Per-owner lists, ascending indexes, same lifetime as above: the slices
 * and the sites of factory f, the cells of site s. -1 for an index out of
 * range. */
int sd_model_factory_slices(const struct sd_model *m, int f, const int **idx);
int sd_model_factory_sites(const struct sd_model *m, int f, const int **idx);
int sd_model_site_cells(const struct sd_model *m, int s, const int **idx);
/* What a factory's IPC view counts: its sites, the cells of those sites,
 * its slices. 0, or -1 for f out of range (counts untouched). NULL
 * pointers are skipped. */
int sd_model_factory_counts(const struct sd_model *m, int f, int *nsites, int *ncells,
			    int *nslices);
/* Mark every slice's live state unknown (after a load). */
void sd_model_reset_live(struct sd_model *m);
/* DEPRECATED: the reload path of a config-owned model, kept compiling
 * until the engine merges instead (sd_model_merge_declared); to be removed.
 * Carry observed state (NF instances, slices' live state by slice id) from
 * an old model into a new one loaded from the same zone. */
void sd_model_carry_live(struct sd_model *to, struct sd_model *from);

/* An empty model (the engine's, before the first merge). */
struct sd_model *sd_model_new(void);

/* A deep copy of a model's declared inventory (PLMN, zone, factories,
 * sites, cells, config slices; no NF instances, no index), for a caller
 * that must keep its own model (the configuration's access rules index
 * into it) and merge a copy. */
struct sd_model *sd_model_copy_declared(const struct sd_model *src);

/* The engine owns one model for its whole life; the configuration only
 * declares inventory. This merges a freshly loaded configuration's model
 * (`declared`, consumed: freed, its arrays taken) into the engine's
 * (`into`, which stays at the same address, so modules holding it keep a
 * valid pointer; object indexes may change: re-resolve ids).
 *
 *   taken from declared   PLMN, zone name, factories, sites, cells and the
 *                         slices of origin config, in the file's order;
 *   carried by id         a config slice's observed state (live), while its
 *                         S-NSSAI is the same (else it starts unknown);
 *   kept                  every slice of another origin (runtime, plugin),
 *                         its factory and site references re-resolved by id;
 *   untouched             NF instances and whatever indexes them.
 *
 * Conflicts never lose a runtime object; what wins:
 *   - the configuration declares a slice id a runtime slice holds: the
 *     runtime slice stays, the declaration is ignored;
 *   - a runtime slice's factory (or a site it serves) is no longer
 *     declared: that factory (site) is kept with its last declared fields
 *     (a kept site without cells), and reported again at every merge until
 *     the slice is removed or the configuration declares it again.
 * Each conflict is one sentence naming the ids in err ("N conflicts: a;
 * b"); the return value is their number (0: a clean merge).
 *
 * changed (may be NULL) is called after the merge, once per object added,
 * removed (removed = true) or whose declared fields or view-visible derived
 * values changed: a factory's site/cell/slice counts, a site's cell count,
 * a cell's factory (through its site); ids are compared, not positions, so
 * an unchanged file reports nothing. topic is one SD_TOPIC_* bit
 * (core/bus.h); id "" means every object of the topic (SD_TOPIC_CELLS when
 * the PLMN changed: every NCGI; SD_TOPIC_NFS when a slice's S-NSSAI or
 * factory changed or a slice came or went, since a factory's NF view lists
 * its own slices' S-NSSAIs). Reindexes `into`. */
int sd_model_merge_declared(struct sd_model *into, struct sd_model *declared,
			    void (*changed)(void *arg, unsigned topic, const char *id, bool removed),
			    void *arg, char *err, size_t errsz);
/* Slices created at run time (the lifecycle issue, a plugin). The caller
 * persists them (sd_model_store_save_slice / _delete_slice) and publishes
 * the change (SD_TOPIC_SLICES id, SD_TOPIC_FACTORIES for the owner's
 * counts, SD_TOPIC_NFS ""). Both keep the indexes right themselves: an add
 * is amortised O(1) (the array grows by a quarter; the per-factory and
 * per-S-NSSAI lists are regrouped, linearly in the slices, by the first
 * lookup that needs them), a removal re-indexes the slices (not the
 * places), linear in the number of slices.
 *
 * add: copies *s (and its sites array) at the end of m->slices; s->origin
 * must be SD_ORIGIN_RUNTIME or SD_ORIGIN_PLUGIN, the id new in the model,
 * factory and sites valid indexes; live state starts unknown. Returns the
 * new slice's index, or -1 with err naming the slice and the problem.
 * Reallocates m->slices: pointers into it are invalid afterwards.
 *
 * remove: 0; -1 when there is no such slice; -2 when the configuration
 * declares it (remove it there; a reload would bring it back). Later
 * slices move down by one. */
int sd_model_add_slice(struct sd_model *m, const struct sd_slice *s, char *err, size_t errsz);
int sd_model_remove_slice(struct sd_model *m, const char *id);

/* Runtime slices persist in the engine's store (core/store.h), component
 * "model", table model_slice: one row per slice of origin runtime or
 * plugin, factory and sites by id, the SLA; never live state.
 *
 * open: migrates and prepares (the statements belong to the store: close
 * the handle before the store). scenario resolves a stored scenario id
 * (the engine passes sd_scenario_find; core does not depend on slicing/).
 * NULL with err on failure.
 *
 * load: at start, after the configuration's inventory is in m. Adds every
 * stored slice that fits, in creation order, with live state unknown, then
 * reindexes once. A row that does not fit is refused and stays in the
 * store untouched: its id is declared by the configuration (the
 * configuration's slice is the one in the model; remove one of the two),
 * its factory or one of its sites is not declared, or its scenario, state
 * or origin is unknown. Returns how many were refused (err: "N stored
 * slices not loaded: slice X: why; ..."), or -1 when the store fails.
 *
 * save: inserts or updates the row of s (origin runtime or plugin; -1 for
 * a config slice) as one store write: 0 when it stands — committed, or in
 * the store's open batch (call sd_store_flush to wait for the disk).
 * delete: the row of id, if any; 0 or -1. */
struct sd_model_store;
struct sd_store;
struct sd_model_store *sd_model_store_open(struct sd_store *st,
					   const struct sd_scenario *(*scenario)(const char *id),
					   char *err, size_t errsz);
void sd_model_store_close(struct sd_model_store *ms);
int sd_model_store_load(struct sd_model *m, struct sd_model_store *ms, char *err, size_t errsz);
int sd_model_store_save_slice(struct sd_model_store *ms, const struct sd_model *m,
			      const struct sd_slice *s);
int sd_model_store_delete_slice(struct sd_model_store *ms, const char *id);

/* Index of the NF instance with this nfInstanceId, or -1. */
int sd_model_nf_index(const struct sd_model *m, const char *id);
/* Frees everything the model owns, and the model. */
void sd_model_free(struct sd_model *m);

/* true when s is a valid id token. */
bool sd_id_valid(const char *s);

#endif
