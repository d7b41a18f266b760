/* plugins/open5gs/o5gs_map.h — what an Open5GS NF's /metrics text says
 * about slices: the families the open5gs plugin reads, per NF type, into
 * figures per S-NSSAI and per NF.
 *
 *   AMF  fivegs_amffunction_rm_registeredsubnbr{plmnid,snssai}  registered UEs per slice
 *        gnb, ran_ue                                             connected gNBs, RAN UEs
 *   SMF  fivegs_smffunction_sm_sessionnbr{plmnid,snssai}        PDU sessions per slice
 *        ues_active                                              UEs with a session
 *   PCF  fivegs_pcffunction_pa_sessionnbr{plmnid,snssai}        SM policy associations
 *                                                                per slice (= PDU sessions)
 *   UPF  fivegs_ep_n3_gtp_indatavolumeqosleveln3upf{qfi}        N3 bytes in (uplink), summed
 *        fivegs_ep_n3_gtp_outdatavolumeqosleveln3upf{qfi}       N3 bytes out (downlink)
 *        fivegs_upffunction_upf_sessionnbr                       PFCP sessions
 *
 * The snssai label is "SST" or "SST-SD" (SD as 6 hex digits); the plmnid
 * label MCC and MNC digits ("00101"). Rows of one S-NSSAI with several
 * PLMNs are summed unless a PLMN is chosen. A counter name may also come
 * with Prometheus's "_total" suffix. Families this table does not name are
 * ignored; a family named here with a label it cannot read (a bad
 * S-NSSAI) is counted in `skipped`, not an error.
 */
#ifndef SDP_O5GS_MAP_H
#define SDP_O5GS_MAP_H

#include <stddef.h>

enum o5gs_nf { O5GS_AMF, O5GS_SMF, O5GS_UPF, O5GS_PCF, O5GS_NF_COUNT };

#define O5GS_MAX_SNSSAI 256

struct o5gs_slice_fig {
	int sst;
	char sd[7];                /* 6 lower-case hex digits, "" without SD */
	double value;              /* UEs (AMF) or sessions (SMF, PCF) */
};

struct o5gs_scrape {
	struct o5gs_slice_fig per[O5GS_MAX_SNSSAI];
	int nper;
	double gnbs, ran_ues, ues_active, upf_sessions;   /* NAN when absent */
	double n3_in_bytes, n3_out_bytes;                  /* NAN when absent */
	int samples;               /* every sample of the text */
	int used;                  /* of those, the ones mapped */
	int skipped;               /* mapped families' samples not read (bad labels) */
	char skipped_why[160];     /* the first one */
};

const char *o5gs_nf_name(enum o5gs_nf nf);       /* "AMF" ... */
int o5gs_nf_parse(const char *s);                /* "amf" -> O5GS_AMF, -1 */

/* Parse a /metrics text of an NF of type nf into out. plmn: only rows
 * with this plmnid label ("" or NULL: any). 0, or -1 with the parser's
 * "line N: ..." in err. */
int o5gs_scrape_parse(enum o5gs_nf nf, const char *text, size_t len, const char *plmn,
		      struct o5gs_scrape *out, char *err, size_t errsz);

/* Parse an snssai label: 0, or -1. */
int o5gs_snssai_parse(const char *s, int *sst, char sd[7]);

#endif
