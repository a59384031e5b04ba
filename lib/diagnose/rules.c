// SPDX-License-Identifier: MIT
/*
 * The table of known failures (SPEC 3.10): one row each, with its id, its
 * severity, the log lines it is recognised by, the explanation, the fix,
 * and the matcher that finds its evidence in the facts the lines gave.
 * docs/diagnose.md is generated from this table (tests/unit/test_diagnose.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "confmem/names.h"
#include "diagnose/diagnose_internal.h"

#define LEAF_SYS_KEY_CONFIG 0x1FULL
#define LEAF_SYS_INIT 0x21ULL
#define LEAF_SYS_RD 0x22ULL
#define LEAF_SYS_LP_INIT 0x23ULL
#define LEAF_SYS_TDMR_INIT 0x24ULL
#define LEAF_SYS_CONFIG CM_TDH_SYS_CONFIG
#define LEAF_MASK UINT64_C(0xFFFF)
#define STATUS_CLASS_METADATA 0x0CULL
#define STATUS_CLASS_SHIFT 40
#define SEAMCALL_VMFAILINVALID 0x8000FF00FFFF0000ULL
#define REG_RDX 1
/* The oldest module mainline kernels initialise (v6.8's metadata reads need 1.5). */
#define OLDEST_MAJOR 1
#define OLDEST_MINOR 5

typedef void (*diag_matcher)(struct diag_builder *b, const struct diag_facts *f);

struct diag_rule {
	struct cm_diag_rule_info info;
	diag_matcher match;	/* NULL: found by the plan's comparison (plan.c) */
};

static bool is_leaf(const struct diag_seamcall *s, uint64_t leaf)
{
	return (s->fn & LEAF_MASK) == leaf;
}

static void add_fact(struct diag_builder *b, struct cm_diag_finding *fd, const struct diag_facts *f,
		     enum diag_fact kind)
{
	if (f->fact[kind].seen)
		diag_add_evidence(b, fd, f->fact[kind].line_nr, f->fact[kind].text);
}

static void add_seamcall(struct diag_builder *b, struct cm_diag_finding *fd, const struct diag_seamcall *s)
{
	char words[320];

	diag_add_evidence(b, fd, s->line_nr, s->text);
	if (s->regs_text)
		diag_add_evidence(b, fd, s->regs_line_nr, s->regs_text);
	diag_describe_seamcall(s, words, sizeof(words));
	diag_explain(b, fd, "Here: %s.", words);
	if (is_leaf(s, LEAF_SYS_CONFIG)) {
		cm_tdx_describe_status(s->status, NULL, 0, words, sizeof(words));
		diag_explain(b, fd, "The module's words: %s.", words);
	}
}

void diag_describe_seamcall(const struct diag_seamcall *s, char *buf, size_t len)
{
	const char *leaf = cm_tdx_leaf_name(s->fn), *status = cm_tdx_status_name(s->status);
	const char *class = cm_tdx_status_class(s->status);
	int n;

	n = snprintf(buf, len, "%s (leaf 0x%" PRIx64 ") failed with 0x%016" PRIx64 " (%s, class: %s)",
		     leaf ? leaf : "an unknown SEAMCALL", (uint64_t)(s->fn & LEAF_MASK), s->status,
		     status ? status : "an unknown status", class ? class : "unknown");
	if (n < 0 || (size_t)n >= len || !s->has_regs || !is_leaf(s, LEAF_SYS_RD))
		return;
	snprintf(buf + n, len - (size_t)n, " reading the metadata field 0x%016" PRIx64 " (%s)", s->regs[REG_RDX],
		 cm_tdx_metadata_field_name(s->regs[REG_RDX]) ? cm_tdx_metadata_field_name(s->regs[REG_RDX]) :
		 "a field confmem does not know");
}

/* Any host TDX line beyond a guest's. */
static bool host_lines(const struct diag_facts *f)
{
	return f->nr_tdx_lines > 0;
}

static void match_bios(struct diag_builder *b, const struct diag_facts *f)
{
	struct cm_diag_finding *fd;
	bool silent = f->fact[FACT_TDX_WANTED].seen && !host_lines(f);

	if (!f->fact[FACT_BIOS_DISABLED].seen && !silent &&
	    !(f->fact[FACT_TDX_WANTED].seen && f->fact[FACT_TME_DISABLED].seen))
		return;
	fd = diag_add_finding(b, CM_DIAG_TDX_DISABLED_BY_BIOS);
	add_fact(b, fd, f, FACT_BIOS_DISABLED);
	add_fact(b, fd, f, FACT_TME_DISABLED);
	add_fact(b, fd, f, FACT_TDX_WANTED);
	if (silent)
		diag_explain(b, fd, "Here the command line asks for TDX but the kernel never printed \"BIOS enabled: "
			     "private KeyID range\": it found no TDX KeyIDs and says nothing more (or the kernel was built "
			     "without CONFIG_INTEL_TDX_HOST).");
}

static void match_not_loaded(struct diag_builder *b, const struct diag_facts *f)
{
	const struct diag_seamcall *vmfail = NULL;
	struct cm_diag_finding *fd;

	for (size_t i = 0; i < f->nr_seamcalls; i++)
		if (f->seamcalls[i].status == SEAMCALL_VMFAILINVALID)
			vmfail = &f->seamcalls[i];
	if (!f->fact[FACT_MODULE_NOT_LOADED].seen && !vmfail)
		return;
	fd = diag_add_finding(b, CM_DIAG_MODULE_NOT_LOADED);
	add_fact(b, fd, f, FACT_BIOS_ENABLED);
	add_fact(b, fd, f, FACT_MODULE_NOT_LOADED);
	if (vmfail)
		add_seamcall(b, fd, vmfail);
}

static bool version_too_old(const struct diag_facts *f)
{
	return f->fact[FACT_MODULE_INFO].seen &&
	       (f->module_major < OLDEST_MAJOR || (f->module_major == OLDEST_MAJOR && f->module_minor < OLDEST_MINOR));
}

static void match_too_old(struct diag_builder *b, const struct diag_facts *f)
{
	struct cm_diag_finding *fd = NULL;

	for (size_t i = 0; i < f->nr_seamcalls; i++) {
		const struct diag_seamcall *s = &f->seamcalls[i];

		if (!is_leaf(s, LEAF_SYS_RD) || ((s->status >> STATUS_CLASS_SHIFT) & 0xFF) != STATUS_CLASS_METADATA)
			continue;
		if (!fd)
			fd = diag_add_finding(b, CM_DIAG_MODULE_TOO_OLD);
		add_seamcall(b, fd, s);
	}
	if (!fd && (!version_too_old(f) || f->fact[FACT_INIT_OK].seen))
		return;
	if (!fd)
		fd = diag_add_finding(b, CM_DIAG_MODULE_TOO_OLD);
	add_fact(b, fd, f, FACT_MODULE_INFO);
	if (f->fact[FACT_MODULE_INFO].seen)
		diag_explain(b, fd, "The module is %u.%u; the kernel needs %d.%d or later.", f->module_major,
			     f->module_minor, OLDEST_MAJOR, OLDEST_MINOR);
	add_fact(b, fd, f, FACT_INIT_FAILED);
}

static void match_seamcalls(struct diag_builder *b, const struct diag_facts *f, enum cm_diag_id id,
			    bool (*wanted)(const struct diag_seamcall *s))
{
	struct cm_diag_finding *fd = NULL;

	for (size_t i = 0; i < f->nr_seamcalls; i++) {
		if (f->seamcalls[i].status == SEAMCALL_VMFAILINVALID || !wanted(&f->seamcalls[i]))
			continue;
		if (!fd)
			fd = diag_add_finding(b, id);
		add_seamcall(b, fd, &f->seamcalls[i]);
	}
	if (fd)
		add_fact(b, fd, f, FACT_INIT_FAILED);
}

static bool is_sys_init(const struct diag_seamcall *s)
{
	return is_leaf(s, LEAF_SYS_INIT) || is_leaf(s, LEAF_SYS_LP_INIT);
}

static bool is_outside_cmrs(const struct diag_seamcall *s)
{
	uint64_t code = s->status & CM_TDX_STATUS_MASK;

	return is_leaf(s, LEAF_SYS_CONFIG) && (code == CM_TDX_TDMR_OUTSIDE_CMRS || code == CM_TDX_PAMT_OUTSIDE_CMRS);
}

static bool is_config(const struct diag_seamcall *s)
{
	return (is_leaf(s, LEAF_SYS_CONFIG) && !is_outside_cmrs(s)) || is_leaf(s, LEAF_SYS_KEY_CONFIG) ||
	       is_leaf(s, LEAF_SYS_TDMR_INIT);
}

static void match_sys_init(struct diag_builder *b, const struct diag_facts *f)
{
	match_seamcalls(b, f, CM_DIAG_SYS_INIT_FAILED, is_sys_init);
}

static void match_outside_cmrs(struct diag_builder *b, const struct diag_facts *f)
{
	match_seamcalls(b, f, CM_DIAG_MEMORY_OUTSIDE_CMRS, is_outside_cmrs);
}

static void match_config(struct diag_builder *b, const struct diag_facts *f)
{
	match_seamcalls(b, f, CM_DIAG_CONFIG_REJECTED, is_config);
}

/* A failure one line shows, with the verdict after it. */
static void match_line(struct diag_builder *b, const struct diag_facts *f, enum diag_fact kind, enum cm_diag_id id)
{
	struct cm_diag_finding *fd;

	if (!f->fact[kind].seen)
		return;
	fd = diag_add_finding(b, id);
	add_fact(b, fd, f, kind);
	add_fact(b, fd, f, FACT_INIT_FAILED);
}

static void match_no_rbp(struct diag_builder *b, const struct diag_facts *f)
{
	match_line(b, f, FACT_NO_RBP_MOD, CM_DIAG_NO_RBP_MOD);
}

static void match_tdmrs(struct diag_builder *b, const struct diag_facts *f)
{
	match_line(b, f, FACT_TDMRS_EXHAUSTED, CM_DIAG_TDMRS_EXHAUSTED);
}

static void match_reserved(struct diag_builder *b, const struct diag_facts *f)
{
	match_line(b, f, FACT_RESERVED_EXHAUSTED, CM_DIAG_RESERVED_AREAS_EXHAUSTED);
}

/* -ENOMEM with no other failure line: alloc_contig_pages() found no room for a PAMT. */
static void match_pamt(struct diag_builder *b, const struct diag_facts *f)
{
	struct cm_diag_finding *fd;

	if (!f->fact[FACT_INIT_FAILED].seen || f->fact[FACT_INIT_FAILED].a != -ENOMEM || f->nr_seamcalls ||
	    f->fact[FACT_TDMRS_EXHAUSTED].seen || f->fact[FACT_RESERVED_EXHAUSTED].seen)
		return;
	fd = diag_add_finding(b, CM_DIAG_PAMT_NO_MEMORY);
	add_fact(b, fd, f, FACT_PAMT_NODE_FALLBACK);
	add_fact(b, fd, f, FACT_INIT_FAILED);
}

static void match_initialized(struct diag_builder *b, const struct diag_facts *f)
{
	struct cm_diag_finding *fd;

	if (!f->fact[FACT_INIT_OK].seen)
		return;
	fd = diag_add_finding(b, CM_DIAG_INITIALIZED);
	add_fact(b, fd, f, FACT_MODULE_INFO);
	add_fact(b, fd, f, FACT_TDMR_WARNING);
	add_fact(b, fd, f, FACT_PAMT_KB);
	add_fact(b, fd, f, FACT_INIT_OK);
	b->d->initialized = true;
}

static const struct diag_rule rules[CM_DIAG_NR_IDS] = {
	[CM_DIAG_TDX_DISABLED_BY_BIOS] = { {
		"tdx-disabled-by-bios", CM_DIAG_ERROR,
		"`tdx: [firmware bug]: TDX is not enabled by BIOS.`, `tdx: SEAMRR not enabled.`, `virt/tdx: "
		"initialization failed: too few private KeyIDs available.`; or `kvm_intel.tdx=1` on the command line "
		"with no `virt/tdx:` line at all (with `x86/tme: not enabled by BIOS` when printed)",
		"The firmware did not enable TDX: without TME-MT, the TDX KeyID partition and SEAM range "
		"registers the kernel finds no TDX KeyIDs and never tries the module.",
		"In the BIOS setup enable Memory Encryption (TME), Multi-Key TME (TME-MT), Trust Domain Extension "
		"(TDX) with a non-zero number of TDX KeyIDs (at least 2) and the SEAM Loader; update the BIOS if "
		"these settings are missing." }, match_bios },
	[CM_DIAG_MODULE_NOT_LOADED] = { {
		"module-not-loaded", CM_DIAG_ERROR,
		"`virt/tdx: module not loaded` (older: `tdx: TDX module is not loaded.`), or a SEAMCALL that failed "
		"with 0x8000ff00ffff0000 (TDX_SEAMCALL_VMFAILINVALID)",
		"TDX is enabled but no TDX module answers SEAMCALL: the SEAM range holds no module (the BIOS did "
		"not load one, the SEAM loader is off, or the module failed its load-time checks).",
		"Enable the SEAM Loader in the BIOS and make sure the BIOS ships (or the EFI loader installs) a TDX "
		"module: update the BIOS, or install the module package the distribution provides "
		"(e.g. intel-tdx-module) where the firmware loads it from the EFI partition." }, match_not_loaded },
	[CM_DIAG_MODULE_TOO_OLD] = { {
		"module-too-old", CM_DIAG_ERROR,
		"`virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc0000c..` (TDH.SYS.RD, a metadata status) "
		"with its `RCX .. RDX <field id> R08 ..` dump, or a module version below 1.5 with no "
		"`module initialized`",
		"The kernel reads global metadata fields (TDH.SYS.RD) that only newer modules have: a 1.0 module "
		"answers TDX_METADATA_FIELD_ID_INCORRECT for a field it does not know, and initialisation stops.",
		"Update the TDX module to a 1.5 release or later (through a BIOS update or the module package the "
		"firmware loads), or run a kernel made for the module present." }, match_too_old },
	[CM_DIAG_SYS_INIT_FAILED] = { {
		"sys-init-failed", CM_DIAG_ERROR,
		"`virt/tdx: SEAMCALL (0x0000000000000021) failed: 0x..` (TDH.SYS.INIT) or `(0x..23)` "
		"(TDH.SYS.LP.INIT)",
		"The module refused its global or per-CPU initialisation: it checks the platform (CPUID, MSRs, "
		"SMRR, SEAM capabilities, all CPUs present) and an old BIOS or microcode fails those checks.",
		"Update the BIOS and CPU microcode to the level the module's release notes ask for; boot with every "
		"CPU online (no maxcpus= or nr_cpus=); then update the module." }, match_sys_init },
	[CM_DIAG_NO_RBP_MOD] = { {
		"no-rbp-mod", CM_DIAG_ERROR,
		"`virt/tdx: frame pointer (RBP) clobber bug present, upgrade TDX module` (TDX_FEATURES0 without "
		"NO_RBP_MOD)",
		"The module's TDX_FEATURES0 lacks NO_RBP_MOD (bit 18): such modules may clobber the frame pointer "
		"across SEAMCALLs, so the kernel refuses them.",
		"Update the TDX module to a release with NO_RBP_MOD (1.5.x releases from 2024 on) through a BIOS "
		"update or the firmware's module package." }, match_no_rbp },
	[CM_DIAG_TDMRS_EXHAUSTED] = { {
		"tdmrs-exhausted", CM_DIAG_ERROR,
		"`virt/tdx: initialization failed: TDMRs exhausted.`",
		"The kernel covers each TDX memory region with 1 GiB-aligned TDMRs and ran past the module's "
		"max_tdmrs: the memory map has too many regions far apart.",
		"Reduce the number of separate RAM regions (BIOS memory layout: fewer holes, no memory interleave "
		"gaps, memory hole remapping), or use a kernel that merges TDMRs; confmem plan shows the TDMRs." },
		match_tdmrs },
	[CM_DIAG_RESERVED_AREAS_EXHAUSTED] = { {
		"reserved-areas-exhausted", CM_DIAG_ERROR,
		"`virt/tdx: initialization failed: TDMR [0x.., 0x..): reserved areas exhausted.`",
		"A TDMR holds more holes (and PAMTs) than the module's max_reserved_per_tdmr reserved areas: the "
		"kernel takes holes from the memory list, where the firmware's map below 4 GiB has many small ones.",
		"Run a kernel that takes reserved-area holes from the CMRs (the CMR-holes series: far fewer areas), "
		"or change the BIOS memory layout below 4 GiB to have fewer holes." }, match_reserved },
	[CM_DIAG_PAMT_NO_MEMORY] = { {
		"pamt-no-memory", CM_DIAG_ERROR,
		"`virt/tdx: module initialization failed (-12)` with no other failure line (and `TDMR [..): unable "
		"to find local NUMA node for PAMT allocation, fallback to use node 0.` when printed)",
		"alloc_contig_pages() found no physically contiguous free block for a TDMR's PAMT (about 1/256 of "
		"the TDMR) on its node: memory was fragmented or taken when TDX was initialised.",
		"Initialise TDX early (kvm_intel.tdx=1 on the kernel command line, so KVM loads at boot), reserve "
		"less memory elsewhere (hugepages, crashkernel), or add memory to the node." }, match_pamt },
	[CM_DIAG_MEMORY_OUTSIDE_CMRS] = { {
		"memory-outside-cmrs", CM_DIAG_ERROR,
		"`virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a02..` (TDH.SYS.CONFIG, "
		"TDX_TDMR_OUTSIDE_CMRS) or `0xc0000a11..` (TDX_PAMT_OUTSIDE_CMRS)",
		"Boot RAM the kernel gave to TDX is not convertible memory (outside every CMR): typically CXL or "
		"other memory the firmware did not include in the CMRs; the kernel has no early check and the "
		"module rejects the configuration.",
		"Keep non-convertible memory out of the kernel's boot RAM (firmware: report CXL memory as "
		"soft-reserved, and do not boot with efi=nosoftreserve, which makes it boot RAM), or have the BIOS "
		"include that memory in the CMRs." }, match_outside_cmrs },
	[CM_DIAG_CONFIG_REJECTED] = { {
		"config-rejected", CM_DIAG_ERROR,
		"`virt/tdx: SEAMCALL (0x000000000000002d) failed: 0x..` (TDH.SYS.CONFIG) with any other status, or "
		"a failed TDH.SYS.KEY.CONFIG (0x1f) or TDH.SYS.TDMR.INIT (0x24)",
		"The module rejected the TDMRs, PAMTs or reserved areas the kernel built, or a later configuration "
		"step (key configuration on a package, TDMR initialisation).",
		"Compare the kernel's TDMRs with the module's rules (confmem plan --tdmr-bin, then confmem "
		"module-config); report a kernel bug with the status; for key configuration, boot with at least one "
		"CPU of every package online." }, match_config },
	[CM_DIAG_PLAN_MISMATCH] = { {
		"plan-mismatch", CM_DIAG_WARNING,
		"a memory map (`BIOS-e820:` lines) planned with confmem's model of the kernel disagrees with "
		"`N KB allocated for PAMT`, `consumed TDMRs reaching limit: N used out of M` or the failure line",
		"confmem planned this host from its memory map and the result differs from what the kernel "
		"printed: the kernel runs other code than the detected profile, or the log lacks lines the plan "
		"needs (memblock, SRAT, CMRs, module limits).",
		"Check the kernel version and its TDX patches against the profile; give confmem the whole boot log; "
		"report the difference with the log." }, NULL },
	[CM_DIAG_INITIALIZED] = { {
		"initialized", CM_DIAG_INFO,
		"`virt/tdx: module initialized` or `virt/tdx: TDX-Module initialized` (v7.1), after `N KB allocated "
		"for PAMT`; or, in a log that stops before the verdict, a plan of its memory map that initialises",
		"TDX is initialised: the module is configured and the PAMTs are allocated.",
		"Nothing to fix." }, match_initialized },
};

const struct cm_diag_rule_info *cm_diag_rule(enum cm_diag_id id)
{
	return (unsigned int)id < CM_DIAG_NR_IDS ? &rules[id].info : NULL;
}

int cm_diag_id_from_name(const char *name)
{
	for (int i = 0; i < CM_DIAG_NR_IDS; i++)
		if (rules[i].info.id && !strcmp(rules[i].info.id, name))
			return i;
	return -1;
}

void diag_match_rules(struct diag_builder *b, const struct diag_facts *f)
{
	for (int i = 0; i < CM_DIAG_NR_IDS; i++)
		if (rules[i].match)
			rules[i].match(b, f);
}
