/* slicing/scenario.c — the 20-scenario template catalog; see scenario.h.
 *
 * Where the research gives a range, the template takes the guaranteed rate
 * from the low end and the maximum rate from the high end; latency_pct is
 * the reliability figure (the catalog's convention). A template whose bound
 * is 10 ms or less, or whose data must stay on site, needs a local UPF and
 * so is not offered for virtual-mode networks; independent networks can run
 * anything a hybrid one can, except wide-area service beyond the fence.
 */
#include "slicing/scenario.h"

#include <string.h>

#include "core/util.h"

#define V SD_MODE_BIT(SD_MODE_VIRTUAL)
#define H SD_MODE_BIT(SD_MODE_HYBRID)
#define I SD_MODE_BIT(SD_MODE_INDEPENDENT)
#define MS(x) ((uint32_t)((x) * 1000))      /* milliseconds -> microseconds */
#define MBPS(x) ((uint64_t)((x) * 1000))    /* Mbit/s -> kbit/s */

static const struct sd_scenario catalog[] = {
	{
		/* 10 ms for the VR video downlink puts rendering at the MEC. */
		.id = "collab-rd", .number = 1,
		.name = "Collaborative R&D and design", .name_zh = "协同研发设计",
		.sst = 1, .level = SD_LEVEL_FACTORY, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = 0, .mbr_ul_kbps = MBPS(1),
			 .gbr_dl_kbps = MBPS(1), .mbr_dl_kbps = MBPS(100),
			 .latency_us = MS(10), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 50, .fiveqi = 80 },
		.sources = "847-VR Q SST; availability, UEs EST",
	},
	{
		/* Control flow (SST 2); the video uplink and the E-stop sub-flow
		 * (<8 ms, survival 16 ms) are why it needs a local UPF. */
		.id = "remote-control", .number = 2,
		.name = "Remote equipment control", .name_zh = "远程设备操控",
		.sst = 2, .level = SD_LEVEL_WORKSHOP, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = MBPS(1), .mbr_ul_kbps = MBPS(100),
			 .gbr_dl_kbps = 16, .mbr_dl_kbps = MBPS(2),
			 .latency_us = MS(20), .latency_pct = 99.99, .reliability_pct = 99.99,
			 .availability_pct = 99.9999, .max_ues = 20, .fiveqi = 82 },
		.sources = "847-RC 261-PARC 104-ES Q SST; UEs EST",
	},
	{
		/* Motion control: 1 ms needs a dynamic 5QI (82 is the closest
		 * standardized one, 10 ms PDB). */
		.id = "equipment-coop", .number = 3,
		.name = "Equipment collaborative operation", .name_zh = "设备协同作业",
		.sst = 2, .level = SD_LEVEL_LINE, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = MBPS(1), .mbr_ul_kbps = MBPS(10),
			 .gbr_dl_kbps = MBPS(1), .mbr_dl_kbps = MBPS(10),
			 .latency_us = MS(1), .latency_pct = 99.9999, .reliability_pct = 99.9999,
			 .availability_pct = 99.9999, .max_ues = 100, .fiveqi = 82 },
		.sources = "261-D1 Q SST; rates, reliability EST",
	},
	{
		/* Cable replacement: 25 Mbit/s per replaced 100 Mbit/s link; the
		 * template takes the practical 10 ms of 5QI 83, not <1 ms. */
		.id = "flexible-mfg", .number = 4,
		.name = "Flexible manufacturing", .name_zh = "柔性生产制造",
		.sst = 2, .level = SD_LEVEL_LINE, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = MBPS(25), .mbr_ul_kbps = MBPS(100),
			 .gbr_dl_kbps = MBPS(25), .mbr_dl_kbps = MBPS(100),
			 .latency_us = MS(10), .latency_pct = 99.9999, .reliability_pct = 99.9999,
			 .availability_pct = 99.9999, .max_ues = 5, .fiveqi = 83 },
		.sources = "104-W2W Q SST",
	},
	{
		.id = "assembly-assist", .number = 5,
		.name = "On-site assembly assistance", .name_zh = "现场辅助装配",
		.sst = 1, .level = SD_LEVEL_LINE, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = MBPS(5), .mbr_ul_kbps = MBPS(20),
			 .gbr_dl_kbps = MBPS(1), .mbr_dl_kbps = MBPS(100),
			 .latency_us = MS(10), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 10, .fiveqi = 80 },
		.sources = "104-AR 847-VR Q SST; uplink, UEs EST",
	},
	{
		/* Images stay on site: inference at the MEC. */
		.id = "machine-vision-qc", .number = 6,
		.name = "Machine-vision quality inspection", .name_zh = "机器视觉质检",
		.sst = 1, .level = SD_LEVEL_LINE, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = MBPS(20), .mbr_ul_kbps = MBPS(100),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = MBPS(1),
			 .latency_us = MS(50), .latency_pct = 99.99, .reliability_pct = 99.99,
			 .availability_pct = 99.99, .max_ues = 50, .fiveqi = 4 },
		.sources = "Q SST 104-MR; latency, rates, reliability EST",
	},
	{
		.id = "fault-diagnosis", .number = 7,
		.name = "Equipment fault diagnosis", .name_zh = "设备故障诊断",
		.sst = 3, .level = SD_LEVEL_WORKSHOP, .modes = V | H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = 100, .mbr_ul_kbps = MBPS(2),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = 0,
			 .latency_us = MS(300), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 500, .fiveqi = 9 },
		.sources = "Q SST; rates, reliability, UEs EST",
	},
	{
		/* AGV/AMR: the 10 ms video bound of TS 22.104 mobile robots. */
		.id = "factory-logistics", .number = 8,
		.name = "Smart factory logistics", .name_zh = "厂区智能物流",
		.sst = 2, .level = SD_LEVEL_WORKSHOP, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = MBPS(10), .mbr_ul_kbps = MBPS(100),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = MBPS(1),
			 .latency_us = MS(10), .latency_pct = 99.99, .reliability_pct = 99.99,
			 .availability_pct = 99.9999, .max_ues = 2000, .fiveqi = 83 },
		.sources = "104-MR Q SST; control rates, reliability EST",
	},
	{
		/* Teleoperated moves belong in remote-control, not here. */
		.id = "inspection", .number = 9,
		.name = "Unmanned intelligent inspection", .name_zh = "无人智能巡检",
		.sst = 1, .level = SD_LEVEL_FACTORY, .modes = V | H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = MBPS(4), .mbr_ul_kbps = MBPS(25),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = MBPS(1),
			 .latency_us = MS(150), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 20, .fiveqi = 2 },
		.sources = "Q SST; rates, reliability, UEs EST",
	},
	{
		/* The sensor flow (SST 3); safety video is a second slice. */
		.id = "site-monitoring", .number = 10,
		.name = "Production-site monitoring", .name_zh = "生产现场监测",
		.sst = 3, .level = SD_LEVEL_WORKSHOP, .modes = V | H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = 0, .mbr_ul_kbps = 100,
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = 0,
			 .latency_us = MS(300), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 5000, .fiveqi = 9 },
		.sources = "Q SST; rates, reliability, UEs EST",
	},
	{
		/* The twin runs at the MEC, so its data stays on site. */
		.id = "unit-simulation", .number = 11,
		.name = "Production-unit simulation", .name_zh = "生产单元模拟",
		.sst = 1, .level = SD_LEVEL_LINE, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = MBPS(10), .mbr_ul_kbps = MBPS(100),
			 .gbr_dl_kbps = MBPS(1), .mbr_dl_kbps = MBPS(10),
			 .latency_us = MS(20), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 100, .fiveqi = 80 },
		.sources = "Q SST; latency, rates, reliability, UEs EST",
	},
	{
		.id = "precise-ops", .number = 12,
		.name = "Precise dynamic operations", .name_zh = "精准动态作业",
		.sst = 2, .level = SD_LEVEL_WORKSHOP, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = 0, .mbr_ul_kbps = MBPS(1),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = MBPS(1),
			 .latency_us = MS(10), .latency_pct = 99.99, .reliability_pct = 99.99,
			 .availability_pct = 99.99, .max_ues = 1000, .fiveqi = 82 },
		.sources = "Q SST GST; rates, reliability, UEs EST",
	},
	{
		/* Metering; millisecond load control (<50 ms, 99.9999 %) is a
		 * contract override, not the template. */
		.id = "energy-mgmt", .number = 13,
		.name = "Production energy-efficiency management", .name_zh = "生产能效管控",
		.sst = 3, .level = SD_LEVEL_FACTORY, .modes = V | H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = 1, .mbr_ul_kbps = 28,
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = 28,
			 .latency_us = MS(1000), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 1000, .fiveqi = 9 },
		.sources = "104-SG Q SST; metering latency, reliability, UEs EST",
	},
	{
		.id = "process-compliance", .number = 14,
		.name = "Process compliance checking", .name_zh = "工艺合规校验",
		.sst = 1, .level = SD_LEVEL_LINE, .modes = H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = MBPS(2), .mbr_ul_kbps = MBPS(8),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = 0,
			 .latency_us = MS(300), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 50, .fiveqi = 8 },
		.sources = "Q SST; rates, reliability, UEs EST",
	},
	{
		/* Records stay local; store-and-forward is allowed (GST). */
		.id = "traceability", .number = 15,
		.name = "Production-process traceability", .name_zh = "生产过程溯源",
		.sst = 3, .level = SD_LEVEL_LINE, .modes = H | I, .needs_local_upf = true,
		.sla = { .gbr_ul_kbps = 0, .mbr_ul_kbps = MBPS(1),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = MBPS(1),
			 .latency_us = MS(300), .latency_pct = 99.99, .reliability_pct = 99.99,
			 .availability_pct = 99.9, .max_ues = 500, .fiveqi = 9 },
		.sources = "Q SST GST; rates, reliability, UEs EST",
	},
	{
		/* Batched uploads: a bound of a minute. */
		.id = "predictive-maint", .number = 16,
		.name = "Predictive equipment maintenance", .name_zh = "设备预测维护",
		.sst = 3, .level = SD_LEVEL_FACTORY, .modes = V | H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = 100, .mbr_ul_kbps = MBPS(2),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = 0,
			 .latency_us = MS(60000), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 1000, .fiveqi = 9 },
		.sources = "Q SST GST; latency, rates, reliability, UEs EST",
	},
	{
		/* OCR and counting video; crane control goes in a remote-control
		 * slice (<=60 ms, 261-PARC). */
		.id = "smart-tally", .number = 17,
		.name = "Smart tallying", .name_zh = "厂区智能理货",
		.sst = 1, .level = SD_LEVEL_FACTORY, .modes = H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = MBPS(2), .mbr_ul_kbps = MBPS(10),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = MBPS(1),
			 .latency_us = MS(100), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 50, .fiveqi = 7 },
		.sources = "Q SST 261-PARC; OCR latency, rates, UEs EST",
	},
	{
		/* Beyond the fence: public coverage, so no independent mode. */
		.id = "logistics-monitoring", .number = 18,
		.name = "Full-domain logistics monitoring", .name_zh = "全域物流监测",
		.sst = 1, .level = SD_LEVEL_FACTORY, .modes = V | H, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = 0, .mbr_ul_kbps = MBPS(4),
			 .gbr_dl_kbps = 0, .mbr_dl_kbps = 0,
			 .latency_us = MS(1000), .latency_pct = 99.0, .reliability_pct = 99.0,
			 .availability_pct = 99.0, .max_ues = 5000, .fiveqi = 9 },
		.sources = "Q SST; all figures EST",
	},
	{
		/* Non-immersive remote expert video (5QI 7, 100 ms) so that it
		 * fits a virtual network; immersive AR needs 10 ms (847-VR). */
		.id = "virtual-service", .number = 19,
		.name = "Virtual on-site service", .name_zh = "虚拟现场服务",
		.sst = 1, .level = SD_LEVEL_FACTORY, .modes = V | H, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = MBPS(2), .mbr_ul_kbps = MBPS(10),
			 .gbr_dl_kbps = MBPS(1), .mbr_dl_kbps = MBPS(100),
			 .latency_us = MS(100), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 10, .fiveqi = 7 },
		.sources = "847-VR Q SST; uplink, availability, UEs EST",
	},
	{
		/* Conversational video (5QI 2); UEs follow headcount, so none
		 * is stated. */
		.id = "enterprise-collab", .number = 20,
		.name = "Enterprise collaboration", .name_zh = "企业协同合作",
		.sst = 1, .level = SD_LEVEL_FACTORY, .modes = V | H | I, .needs_local_upf = false,
		.sla = { .gbr_ul_kbps = MBPS(2), .mbr_ul_kbps = MBPS(10),
			 .gbr_dl_kbps = MBPS(2), .mbr_dl_kbps = MBPS(10),
			 .latency_us = MS(150), .latency_pct = 99.9, .reliability_pct = 99.9,
			 .availability_pct = 99.9, .max_ues = 0, .fiveqi = 2 },
		.sources = "Q SST; rates, reliability EST",
	},
};

const struct sd_scenario *sd_scenario_find(const char *id)
{
	size_t i;
	for (i = 0; id && i < SD_ARRAY_LEN(catalog); i++)
		if (strcmp(catalog[i].id, id) == 0)
			return &catalog[i];
	return NULL;
}

const struct sd_scenario *sd_scenario_at(size_t i)
{
	return i < SD_ARRAY_LEN(catalog) ? &catalog[i] : NULL;
}

size_t sd_scenario_count(void)
{
	return SD_ARRAY_LEN(catalog);
}

bool sd_scenario_suits(const struct sd_scenario *s, enum sd_pn_mode m)
{
	return (unsigned)m < SD_MODE_COUNT && (s->modes & SD_MODE_BIT(m)) != 0;
}
