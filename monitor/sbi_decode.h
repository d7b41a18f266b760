/* monitor/sbi_decode.h — SBI JSON bodies from NFs -> the engine's model.
 *
 * One decoder per document type the collectors and notification handlers
 * receive (NRF, NSSF, NWDAF, AMF and SMF event exposure). Each decoder:
 *
 *   - parses the body ONCE (jansson, duplicate keys rejected), walks the tree
 *     once to enforce the structural limits below, then maps members straight
 *     into the output struct;
 *   - returns 0 on success or -1, and in both cases fills a struct
 *     sd_decode_diag (diag may be NULL when the caller does not care): on -1 its `error` names the JSON path and the problem,
 *     e.g. "nfServiceList.1121809e-....ipEndPoints[0].port: must be 0-65535";
 *   - ignores members it does not know (3GPP requires receivers to), and
 *     accepts enum strings it does not know (every 3GPP enum is extensible);
 *   - rejects wrong JSON types, missing mandatory members and out-of-range
 *     values instead of guessing;
 *   - sanitises (sd_sanitize) every string that may reach a log or a screen.
 *
 * Lists of independent records (NF profiles in a discovery result, analytics
 * entries, event reports, ...) are decoded element by element: a bad element
 * is skipped, counted in diag->skipped and its reason kept in diag->notes;
 * the good ones are returned and the call succeeds. Inside one record any
 * error rejects that record. A malformed top level is an error.
 * docs/wire-compat.md lists every quirk accepted and every rule enforced.
 *
 * Outputs own heap memory where a list is variable; release with the
 * matching *_done() (safe on a zeroed struct and after a failed decode).
 * No global state: every decoder is reentrant.
 */
#ifndef SD_SBI_DECODE_H
#define SD_SBI_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/snssai.h"

/* Limits applied to every body before any mapping. */
/* bytes: an SMF of the 100,000-slice scale zone lists each S-NSSAI twice,
 * in sNssais and in smfInfo (about 9.9 MB; 131,072 of each about 13 MB) */
#define SD_DECODE_MAX_BODY   (16u * 1024u * 1024u)
#define SD_DECODE_MAX_DEPTH  32      /* nesting levels of arrays/objects */
#define SD_DECODE_MAX_ITEMS  4096    /* members of any one array or object */
/* ... except these arrays, which may hold up to SD_DECODE_MAX_LIST items:
 * an NF profile's S-NSSAI lists (members sNssais, sNssaiList,
 * sNssaiSmfInfoList, sNssaiUpfInfoList — one AMF of a 100,000-slice zone
 * lists all of them, a UPF serving them all each again in its upfInfo)
 * and a UriList's _links.item (an NRF of thousands of NF instances). The
 * body cap still bounds the whole document. */
#define SD_DECODE_MAX_LIST   131072  /* the scale target's 100,000 slices, and room */
#define SD_DECODE_MAX_STRING 8192    /* bytes of any one JSON string */

#define SD_DECODE_ERRLEN     256
#define SD_DECODE_MAX_NOTES  8

/* What a decoder has to say besides its output. */
struct sd_decode_diag {
	char error[SD_DECODE_ERRLEN];   /* "path: problem" when -1; "" on 0 */
	unsigned skipped;               /* list elements dropped */
	unsigned nnotes;                /* notes kept (<= SD_DECODE_MAX_NOTES) */
	unsigned notes_lost;            /* further notes not kept */
	/* Reasons for skipped elements and for truncations (lists longer than
	 * what we keep), in document order: "nfInstances[2].load: must be
	 * 0-100". Sanitised. */
	char notes[SD_DECODE_MAX_NOTES][SD_DECODE_ERRLEN];
};

/* DateTime members are converted to wall-clock ms since the epoch (UTC);
 * 0 means "absent". RFC 3339 with optional fraction and any offset. */

/* ------------------------------------------------------------------ */
/* NRF Nnrf_NFManagement / Nnrf_NFDiscovery                            */

#define SD_UUID_STRLEN 37          /* 36 + NUL */

/* GET /nnrf-nfm/v1/nf-instances (application/3gppHal+json UriList). */
struct sd_nrf_urilist {
	char (*ids)[SD_UUID_STRLEN];   /* nfInstanceIds from _links.item[].href */
	int nids;
	long total;                    /* totalItemCount; -1 when absent */
	bool total_in_links;           /* found inside _links (Open5GS) */
};
int  sd_decode_nrf_urilist(const char *body, size_t len,
			   struct sd_nrf_urilist *out, struct sd_decode_diag *diag);
void sd_nrf_urilist_done(struct sd_nrf_urilist *l);

#define SD_NF_FQDN_MAX        254
#define SD_NF_MAX_PLMNS       8
#define SD_NF_MAX_ADDRS       4
#define SD_NF_MAX_SERVICES    32   /* per profile; more -> first kept + note */
#define SD_NF_MAX_VERSIONS    4
#define SD_NF_MAX_ENDPOINTS   4

struct sd_nf_endpoint {
	char addr[46];                 /* ipv4Address or ipv6Address, validated */
	int port;                      /* 0..65535; -1 when absent */
	char transport[8];             /* "TCP" ... ; "" when absent */
};

/* One NFService, from nfServiceList (map) or nfServices (array). */
struct sd_nf_service {
	char instance_id[64];          /* serviceInstanceId */
	char name[32];                 /* serviceName, e.g. "nnwdaf-analyticsinfo" */
	char versions[SD_NF_MAX_VERSIONS][8]; /* apiVersionInUri, "v1" */
	int nversions;
	char full_version[24];         /* apiFullVersion of versions[0] */
	char scheme[8];                /* "http"/"https" (other kept as sent) */
	enum sd_nf_status status;      /* nfServiceStatus */
	char fqdn[SD_NF_FQDN_MAX];     /* "" when absent */
	char api_prefix[128];          /* "" when absent */
	struct sd_nf_endpoint eps[SD_NF_MAX_ENDPOINTS];
	int neps;
	int priority;                  /* 0..65535; -1 when absent */
	int capacity;                  /* 0..65535; -1 when absent */
	int load;                      /* 0..100; -1 when absent */
};

/* An NFProfile: the model's view plus the detail for the NF detail view
 * and for building service URLs. */
struct sd_nf_profile {
	/* id, type, name, status, load, heartbeat, addr, snssais, services
	 * (first 8 distinct names) filled; source and the "observed" members
	 * are zero. nf.snssais is heap memory that sd_nf_profile_done frees:
	 * to keep the instance, take it with sd_nf_instance_move (or _copy)
	 * from core/model_nf.h first. S-NSSAIs of sNssais, perPlmnSnssaiList
	 * and smfInfo/smfInfoList, deduplicated, at most SD_MAX_NF_SNSSAI
	 * (more: the first ones, and a note). */
	struct sd_nf_instance nf;
	char status_text[24];          /* nfStatus as sent (sanitised) */
	char fqdn[SD_NF_FQDN_MAX];     /* "" when absent */
	char locality[64];             /* sanitised; "" when absent */
	int priority;                  /* -1 when absent */
	int capacity;                  /* -1 when absent */
	int64_t load_ts_ms;            /* loadTimeStamp */
	int64_t recovery_ms;           /* recoveryTime */
	struct sd_plmn plmns[SD_NF_MAX_PLMNS];
	int nplmns;
	char addrs[SD_NF_MAX_ADDRS][46]; /* ipv4Addresses then ipv6Addresses */
	int naddrs;
	struct sd_nf_service *services; /* heap, nservices entries */
	int nservices;
};
/* GET /nnrf-nfm/v1/nf-instances/{id}: one NFProfile. */
int  sd_decode_nf_profile(const char *body, size_t len,
			  struct sd_nf_profile *out, struct sd_decode_diag *diag);
void sd_nf_profile_done(struct sd_nf_profile *p);

/* GET /nnrf-disc/v1/nf-instances: SearchResult. Bad profiles are skipped
 * (diag->skipped/notes); an empty nfInstances is fine. */
struct sd_nrf_search {
	long validity_s;               /* validityPeriod */
	struct sd_nf_profile *profiles; /* heap */
	int nprofiles;
};
int  sd_decode_nrf_search(const char *body, size_t len,
			  struct sd_nrf_search *out, struct sd_decode_diag *diag);
void sd_nrf_search_done(struct sd_nrf_search *s);

enum sd_nrf_event {
	SD_NRF_EV_REGISTERED,          /* NF_REGISTERED */
	SD_NRF_EV_DEREGISTERED,        /* NF_DEREGISTERED */
	SD_NRF_EV_PROFILE_CHANGED,     /* NF_PROFILE_CHANGED */
	SD_NRF_EV_OTHER
};
/* POST {nfStatusNotificationUri}: NotificationData. */
struct sd_nrf_notification {
	enum sd_nrf_event event;
	char event_text[32];           /* as sent, sanitised */
	char nf_id[SD_UUID_STRLEN];    /* from nfInstanceUri's last segment */
	bool has_profile;              /* nfProfile (or Rel-18 completeNfProfile) */
	struct sd_nf_profile profile;  /* when has_profile; profileChanges ignored */
};
int  sd_decode_nrf_notification(const char *body, size_t len,
				struct sd_nrf_notification *out,
				struct sd_decode_diag *diag);
void sd_nrf_notification_done(struct sd_nrf_notification *n);

/* ------------------------------------------------------------------ */
/* NSSF                                                                */

#define SD_NSSF_MAX_SNSSAI 64

/* GET /nnssf-nsselection/v2/network-slice-information:
 * AuthorizedNetworkSliceInfo. */
struct sd_nssf_slice_info {
	bool has_nsi;                  /* nsiInformation present */
	char nrf_id[256];              /* nsiInformation.nrfId (URI, validated) */
	char nsi_id[64];               /* nsiInformation.nsiId, sanitised; "" */
	/* allowedNssaiList[].allowedSnssaiList[].allowedSnssai, deduplicated */
	struct sd_snssai allowed[SD_NSSF_MAX_SNSSAI];
	int nallowed;
	struct sd_snssai rejected_ta[SD_NSSF_MAX_SNSSAI];   /* rejectedNssaiInTa */
	int nrejected_ta;
	struct sd_snssai rejected_plmn[SD_NSSF_MAX_SNSSAI]; /* rejectedNssaiInPlmn */
	int nrejected_plmn;
};
int sd_decode_nssf_slice_info(const char *body, size_t len,
			      struct sd_nssf_slice_info *out,
			      struct sd_decode_diag *diag);

/* One (TAI, S-NSSAI) the NSSF says is available. */
struct sd_nssai_avail_item {
	struct sd_plmn plmn;
	uint32_t tac;                  /* 16- or 24-bit TAC */
	struct sd_snssai snssai;
};
/* AuthorizedNssaiAvailabilityInfo (PUT /nssai-availability/{nfId} answer)
 * or NssfEventNotification (callback). Each authorizedNssaiAvailabilityData
 * entry is expanded over `tai` + `taiList` x supportedSnssaiList. */
struct sd_nssai_avail {
	char subscription_id[128];     /* notification only; "" otherwise */
	struct sd_nssai_avail_item *items; /* heap */
	int nitems;                    /* <= SD_DECODE_MAX_ITEMS */
};
int  sd_decode_nssai_avail_info(const char *body, size_t len,
				struct sd_nssai_avail *out,
				struct sd_decode_diag *diag);
int  sd_decode_nssf_event_notification(const char *body, size_t len,
				       struct sd_nssai_avail *out,
				       struct sd_decode_diag *diag);
void sd_nssai_avail_done(struct sd_nssai_avail *a);

/* ------------------------------------------------------------------ */
/* NWDAF                                                               */

#define SD_NWDAF_MAX_AREA 16

/* NetworkAreaInfo: tais and ncgis (first SD_NWDAF_MAX_AREA of each). */
struct sd_nwdaf_area {
	uint32_t tacs[SD_NWDAF_MAX_AREA];
	int ntacs;
	uint64_t ncis[SD_NWDAF_MAX_AREA];  /* 36-bit nrCellId */
	int nncis;
};

/* sliceLoadLevelInfos flattened: one entry per (S-NSSAI, level). */
struct sd_nwdaf_slice_load {
	struct sd_snssai snssai;
	int load_level;                /* loadLevelInformation (>= 0) */
};

/* Vendor extension of NetworkPerfType (docs/wire-compat.md, "Cell radio
 * from the NWDAF"): RSRP_MEAN / SINR_MEAN, the mean radio of the cell
 * networkArea.ncgis[0] as its UEs measure it (MDT), absoluteNum being the
 * TS 38.133 report mapping index: SS-RSRP_n (0..126) covers
 * [n - 157, n - 156) dBm, SS-SINR_n (0..127) covers [n/2 - 23.5, n/2 - 23)
 * dB; the ends are open (RSRP_0 < -156, RSRP_126 >= -31, SINR_0 < -23,
 * SINR_127 >= 40). */
enum sd_nwdaf_radio {
	SD_NWDAF_RADIO_NONE,           /* any other nwPerfType */
	SD_NWDAF_RADIO_RSRP,           /* RSRP_MEAN */
	SD_NWDAF_RADIO_SINR,           /* SINR_MEAN */
};
#define SD_NWDAF_RSRP_INDEX_MAX 126
#define SD_NWDAF_SINR_INDEX_MAX 127

struct sd_nwdaf_nw_perf {
	struct sd_nwdaf_area area;     /* networkArea */
	char type[48];                 /* nwPerfType as sent, e.g. NUM_OF_UE */
	bool is_ratio;                 /* relativeRatio (1..100 %) else absoluteNum */
	uint64_t value;
	long confidence;               /* -1 when absent */
	/* RSRP_MEAN / SINR_MEAN only (else SD_NWDAF_RADIO_NONE): the cell is
	 * area.ncis[0]; radio_value is the middle of the index's range, dBm
	 * or dB (the open ends 0 and 127 read as their closed edge). */
	enum sd_nwdaf_radio radio;
	double radio_value;
};

struct sd_nwdaf_qos_sustain {
	struct sd_nwdaf_area area;     /* areaInfo (may be empty) */
	int64_t start_ms, end_ms;      /* startTs, endTs; 0 when absent */
	bool has_snssai;
	struct sd_snssai snssai;
	/* exactly one of the two thresholds */
	bool has_ret_thd;              /* qosFlowRetThd */
	long rel_flow_num;             /* -1 when absent */
	char rel_time_unit[16];        /* MINUTE/HOUR/DAY/...; "" */
	int rel_flow_ratio;            /* 1..100; -1 when absent */
	uint64_t ran_ue_thrpt_bps;     /* ranUeThrouThd (BitRate) when !has_ret_thd */
	long confidence;
};

struct sd_nwdaf_nf_load {
	char nf_type[16];
	char nf_id[SD_UUID_STRLEN];
	bool has_snssai;
	struct sd_snssai snssai;
	/* each -1 when absent; the spec requires at least one of them */
	int status_registered, status_unregistered, status_undiscoverable; /* % */
	long cpu, memory, storage;     /* nfCpuUsage, nfMemoryUsage, nfStorageUsage */
	long load_avg;                 /* nfLoadLevelAverage */
	long load_peak;                /* nfLoadLevelpeak (or nfLoadLevelPeak) */
	long load_avg_in_aoi;          /* nfLoadAvgInAoi */
	long confidence;
};

/* The analytics payload shared by AnalyticsData (GET
 * /nnwdaf-analyticsinfo/v1/analytics) and EventNotification. */
struct sd_nwdaf_analytics {
	int64_t start_ms, expiry_ms, ts_gen_ms;
	struct sd_nwdaf_slice_load *slice_loads; int nslice_loads;
	struct sd_nwdaf_nw_perf *nw_perfs;       int nnw_perfs;
	struct sd_nwdaf_qos_sustain *qos;        int nqos;
	struct sd_nwdaf_nf_load *nf_loads;       int nnf_loads;
};
int  sd_decode_nwdaf_analytics(const char *body, size_t len,
			       struct sd_nwdaf_analytics *out,
			       struct sd_decode_diag *diag);
void sd_nwdaf_analytics_done(struct sd_nwdaf_analytics *a);

enum sd_nwdaf_event {
	SD_NWDAF_EV_SLICE_LOAD_LEVEL,
	SD_NWDAF_EV_NETWORK_PERFORMANCE,
	SD_NWDAF_EV_NF_LOAD,
	SD_NWDAF_EV_QOS_SUSTAINABILITY,
	SD_NWDAF_EV_OTHER
};
/* One EventNotification, with the subscription it belongs to. */
struct sd_nwdaf_event_notif {
	char subscription_id[128];     /* of the enclosing notification */
	enum sd_nwdaf_event event;
	char event_text[40];           /* as sent, sanitised */
	char fail_code[40];            /* failNotifyCode; "" */
	struct sd_nwdaf_analytics data; /* sliceLoadLevelInfo (single object)
					 * lands in data.slice_loads */
};
/* POST {notificationURI}: a JSON ARRAY of NnwdafEventsSubscriptionNotification;
 * all eventNotifications are flattened into one list. A notification
 * without eventNotifications (subscription transfer) contributes none. */
struct sd_nwdaf_notification {
	struct sd_nwdaf_event_notif *events; /* heap */
	int nevents;
};
int  sd_decode_nwdaf_notification(const char *body, size_t len,
				  struct sd_nwdaf_notification *out,
				  struct sd_decode_diag *diag);
void sd_nwdaf_notification_done(struct sd_nwdaf_notification *n);

/* ------------------------------------------------------------------ */
/* AMF / SMF event exposure                                            */

#define SD_EVT_MAX_TACS   16
#define SD_EVT_MAX_DELAYS 16

enum sd_amf_event {
	SD_AMF_EV_UES_IN_AREA,         /* UES_IN_AREA_REPORT */
	SD_AMF_EV_OTHER
};
struct sd_amf_report {
	enum sd_amf_event type;
	char type_text[48];            /* as sent, sanitised */
	bool active;                   /* state.active */
	int64_t ts_ms;                 /* timeStamp */
	char subscription_id[128];     /* sanitised; "" */
	bool any_ue;                   /* anyUe */
	long number_of_ues;            /* numberOfUes (>= 0); -1 when absent */
	/* from areaList[]: first sNssai, and presenceInfo.trackingAreaList TACs */
	bool has_snssai;
	struct sd_snssai snssai;
	uint32_t tacs[SD_EVT_MAX_TACS];
	int ntacs;
};
/* POST {eventNotifyUri}: AmfEventNotification. */
struct sd_amf_notification {
	char correlation_id[128];      /* notifyCorrelationId, sanitised */
	struct sd_amf_report *reports; /* heap */
	int nreports;
};
int  sd_decode_amf_notification(const char *body, size_t len,
				struct sd_amf_notification *out,
				struct sd_decode_diag *diag);
void sd_amf_notification_done(struct sd_amf_notification *n);

enum sd_smf_event {
	SD_SMF_EV_PDU_SES_EST,
	SD_SMF_EV_PDU_SES_REL,
	SD_SMF_EV_QOS_MON,
	SD_SMF_EV_OTHER
};
struct sd_smf_event_notif {
	enum sd_smf_event event;
	char event_text[24];           /* as sent, sanitised */
	int64_t ts_ms;                 /* timeStamp */
	char supi[40];                 /* sanitised; "" */
	int pdu_session_id;            /* pduSeId 0..255; -1 when absent */
	char dnn[64];                  /* sanitised; "" */
	bool has_snssai;
	struct sd_snssai snssai;
	/* QOS_MON: packet delays (ms), first SD_EVT_MAX_DELAYS of each */
	uint32_t ul_delays[SD_EVT_MAX_DELAYS]; int nul;
	uint32_t dl_delays[SD_EVT_MAX_DELAYS]; int ndl;
	uint32_t rt_delays[SD_EVT_MAX_DELAYS]; int nrt;
	bool pdmf;                     /* packet delay measurement failure */
};
/* POST {notifUri}: NsmfEventExposureNotification. The counters summarise
 * the decoded events (PDU sessions established / released in this batch). */
struct sd_smf_notification {
	char notif_id[128];            /* sanitised */
	struct sd_smf_event_notif *events; /* heap */
	int nevents;
	int n_pdu_est, n_pdu_rel, n_qos_mon;
};
int  sd_decode_smf_notification(const char *body, size_t len,
				struct sd_smf_notification *out,
				struct sd_decode_diag *diag);
void sd_smf_notification_done(struct sd_smf_notification *n);

#endif
