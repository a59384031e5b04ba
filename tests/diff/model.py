#!/usr/bin/env python3
"""An independent model of the Linux kernel's TDX host memory setup and
boot zonelists, written from the kernel's rules (arch/x86/virt/vmx/tdx/tdx.c
v6.8+, mm/page_alloc.c v6.12 and v5.15, mm/migrate.c v5.15), not from
confmem's code.  Standard library only.

Input: a confmem platform JSON (dict).  Output: a dict with what the kernel
computes and prints.  See docs/differential.md for the rules, with the
kernel function each one comes from.

Run `python3 model.py --self-test` to check the model against the kernel's
known numbers (issue 8's acceptance hosts, SPEC 7's examples).
"""

import json
import re
import sys

PAGE = 4096
SZ_1M = 1 << 20
SZ_1G = 1 << 30
TDMR_NR_WARN = 4
MAX_NUMNODES = 64          # CONFIG_NODES_SHIFT=6; only matters when node_load >= it
PENALTY_FOR_NODE_WITH_CPUS = 1

# x86_64 zones (pfn bounds): MAX_DMA_PFN = 16 MiB, MAX_DMA32_PFN = 4 GiB.
ZONE_DMA_END = (16 * SZ_1M) // PAGE
ZONE_DMA32_END = (4 * SZ_1G) // PAGE
ZONES_HIGHEST_FIRST = (            # build_zonerefs_node(): MAX_NR_ZONES-1 down
    ("Normal", ZONE_DMA32_END, 1 << 64),
    ("DMA32", ZONE_DMA_END, ZONE_DMA32_END),
    ("DMA", 0, ZONE_DMA_END),
)

ENOMEM, ENOSPC, EIO = -12, -28, -5
TDX_PAMT_OUTSIDE_CMRS = 0xC0000A1100000000
TDX_TDMR_OUTSIDE_CMRS = 0xC0000A0200000000
TDH_SYS_CONFIG = 0x2d

_SUFFIX = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def num(v):
    """A platform JSON size or address: a number, "0x...", or "64G"."""
    if isinstance(v, int):
        return v
    s = str(v).strip()
    m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|\d+)\s*([KMGT]?)i?B?", s)
    if not m:
        raise ValueError("bad size %r" % v)
    base = int(m.group(1), 0)
    return base * _SUFFIX.get(m.group(2), 1)


def rng(entry):
    start = num(entry["start"])
    end = num(entry["end"]) if "end" in entry else start + num(entry["size"])
    return start, end


def cpus_nonempty(s):
    return bool(str(s or "").strip())


class Host:
    """The parts of a platform the kernel's rules look at."""

    def __init__(self, plat):
        self.name = plat.get("name", "")
        self.nodes = sorted(n["id"] for n in plat["nodes"])
        self.has_cpus = {n["id"]: cpus_nonempty(n.get("cpus", "")) for n in plat["nodes"]}
        self.ram = {n["id"]: sorted(rng(m) for m in n.get("memory", [])) for n in plat["nodes"]}
        self.has_mem = {n: bool(self.ram[n]) for n in self.nodes}
        d = plat.get("distances")
        if d is None:
            d = [[10 if i == j else 20 for j in self.nodes] for i in self.nodes]
        self.dist = d
        tdx = plat.get("tdx") or {}
        self.tdx = bool(tdx.get("enabled", False))
        self.cmrs = [rng(c) for c in tdx.get("cmrs", [])]
        self.max_tdmrs = int(tdx.get("max_tdmrs", 64))
        self.max_rsvd = int(tdx.get("max_reserved_per_tdmr", 16))
        pe = tdx.get("pamt_entry_size", {}) or {}
        self.pamt_entry = (int(pe.get("4k", 16)), int(pe.get("2m", 16)), int(pe.get("1g", 16)))

    def distance(self, a, b):
        return self.dist[self.nodes.index(a)][self.nodes.index(b)]


# ---------------------------------------------------------------------------
# memblock and the TDX memory list (build_tdx_memlist)

def memblock_regions(h):
    """memblock.memory: every node's RAM, sorted by address, adjacent ranges
    of one node merged (memblock_merge_regions merges same nid and flags),
    as pfn ranges (PFN_UP(start), PFN_DOWN(end)) with their node."""
    regs = []
    for n in h.nodes:
        for s, e in h.ram[n]:
            regs.append([s, e, n])
    regs.sort()
    merged = []
    for s, e, n in regs:
        if merged and merged[-1][2] == n and merged[-1][1] == s:
            merged[-1][1] = e
        else:
            merged.append([s, e, n])
    out = []
    for s, e, n in merged:
        sp, ep = (s + PAGE - 1) // PAGE, e // PAGE
        if sp < ep:
            out.append((sp, ep, n))
    return out


def tdx_memlist(h):
    """build_tdx_memlist(): for_each_mem_pfn_range, start clamped to 1 MiB
    (the kernel reserves the first megabyte), empty results skipped."""
    out = []
    for sp, ep, n in memblock_regions(h):
        sp = max(sp, SZ_1M // PAGE)
        if sp >= ep:
            continue
        out.append((sp, ep, n))
    return out


# ---------------------------------------------------------------------------
# TDMRs (fill_out_tdmrs)

def align_down(x, a):
    return x - x % a


def align_up(x, a):
    return align_down(x + a - 1, a)


def fill_out_tdmrs(memlist, max_tdmrs):
    """Returns (tdmrs [(base, size)], error line or None)."""
    tdmrs = []
    for sp, ep, _ in memlist:
        start = align_down(sp * PAGE, SZ_1G)
        end = align_up(ep * PAGE, SZ_1G)
        if tdmrs:
            base, size = tdmrs[-1]
            if end <= base + size:
                continue
            if start < base + size:
                start = base + size
            if len(tdmrs) >= max_tdmrs:      # tdmr_idx++ >= max_tdmrs
                return tdmrs, "initialization failed: TDMRs exhausted."
        tdmrs.append((start, end - start))
    return tdmrs, None


# ---------------------------------------------------------------------------
# PAMT sizes, node, placement

def pamt_sizes(size, entry):
    """tdmr_get_pamt_sz() for 4K, 2M, 1G: entries * entry size, 4 KiB up."""
    out = []
    for shift, es in zip((12, 21, 30), entry):
        out.append(align_up((size >> shift) * es, PAGE))
    return out


def tdmr_get_nid(base, memlist):
    """The node of the first memory-list region that ends after the TDMR's
    base; else node 0 with the kernel's warning."""
    for sp, ep, n in memlist:
        if ep > base // PAGE:
            return n, None
    return 0, None  # replaced by the caller with the message (needs end)


def kernel_align(x, a):
    """ALIGN(x, a) = (x + a - 1) & ~(a - 1), also for a not a power of two."""
    return (x + a - 1) & ~(a - 1)


def find_next_best_node(h, node, used, node_load, cpu_penalty, skip_memoryless_self):
    """mm/page_alloc.c find_next_best_node().  v6.8+ skips a memoryless
    node as its own first choice (node_state(node, N_MEMORY)); 5.15 does not."""
    if node not in used and (h.has_mem[node] or not skip_memoryless_self):
        used.add(node)
        return node
    best, min_val = None, None
    for n in h.nodes:                       # for_each_node_state(n, N_MEMORY)
        if not h.has_mem[n] or n in used:
            continue
        val = h.distance(node, n)
        val += 1 if n < node else 0
        if cpu_penalty and h.has_cpus[n]:
            val += PENALTY_FOR_NODE_WITH_CPUS
        val *= MAX_NUMNODES
        val += node_load[n]
        if min_val is None or val < min_val:
            min_val, best = val, n
    if best is not None:
        used.add(best)
    return best


def build_all_zonelists_v6(h, cpu_penalty=False):
    """v6.12 __build_all_zonelists(): node_load zeroed, every node's list
    built in ascending order; a node placed at a new distance from the
    list's owner gets node_load += 1.  Boot on x86: CPUs are not mapped to
    nodes yet, so cpu_penalty is False for the boot lines.
    Returns ({node: order}, node_load)."""
    node_load = {n: 0 for n in h.nodes}
    orders = {}
    for local in h.nodes:
        used, order, prev = set(), [], local
        while True:
            n = find_next_best_node(h, local, used, node_load, cpu_penalty, True)
            if n is None:
                break
            if h.distance(local, n) != h.distance(local, prev):
                node_load[n] += 1
            order.append(n)
            prev = n
        orders[local] = order
    return orders, node_load


def build_all_zonelists_v515(h, cpu_penalty=False):
    """v5.15 build_zonelists(): load = nr_online_nodes counting down,
    node_load[node] = load for the first node at a new distance."""
    node_load = {n: 0 for n in h.nodes}
    orders = {}
    for local in h.nodes:                  # for_each_online_node
        used, order, prev = set(), [], local
        load = len(h.nodes)
        while True:
            n = find_next_best_node(h, local, used, node_load, cpu_penalty, False)
            if n is None:
                break
            if h.distance(local, n) != h.distance(local, prev):
                node_load[n] = load
            order.append(n)
            prev = n
            load -= 1
        orders[local] = order
    return orders, node_load


def distance_demotion_targets(h, boot_cpu_penalty=False):
    """v5.15 mm/migrate.c __set_migration_target_nodes(): passes starting
    from the nodes with CPUs; a pass's sources join used_targets before the
    pass; each source in ascending id takes find_next_best_node(source,
    used) (CPUs mapped by then: penalty on), node_load as the boot zonelists
    left it.  Returns {node: target or None}."""
    _, node_load = build_all_zonelists_v515(h, boot_cpu_penalty)
    target = {n: None for n in h.nodes}
    used = set()
    this_pass = [n for n in h.nodes if h.has_cpus[n]]
    while this_pass:
        used |= set(this_pass)
        next_pass = []
        for node in sorted(this_pass):
            if target[node] is not None:
                continue
            t = find_next_best_node(h, node, used, node_load, True, False)
            if t is None:
                continue
            target[node] = t
            next_pass.append(t)
        this_pass = sorted(set(next_pass))
    return target


def free_intervals(h, node, taken):
    """Pages of the node the allocator can hand out on an idle host: its
    memblock pages at or above 1 MiB, minus blocks already allocated."""
    iv = []
    for sp, ep, n in memblock_regions(h):
        if n != node:
            continue
        sp = max(sp, SZ_1M // PAGE)
        if sp < ep:
            iv.append([sp, ep])
    for ts, te in sorted(taken):
        new = []
        for s, e in iv:
            if te <= s or ts >= e:
                new.append([s, e])
                continue
            if s < ts:
                new.append([s, ts])
            if te < e:
                new.append([te, e])
        iv = new
    iv.sort()
    merged = []
    for s, e in iv:
        if merged and merged[-1][1] == s:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    return merged


def node_span(h, node):
    regs = [(sp, ep) for sp, ep, n in memblock_regions(h) if n == node]
    if not regs:
        return None
    return min(s for s, _ in regs), max(e for _, e in regs)


def alloc_contig_pages(h, nr, nid, zonelists, taken):
    """alloc_contig_pages(nr, GFP_KERNEL, nid, &node_online_map) on an idle
    host: zonelist of nid (node order, zones highest first), candidates at
    ALIGN(zone_start_pfn, nr) then every nr while zone_spans_last_pfn();
    the first candidate all of whose pages are free pages of that zone's
    node wins.  Returns the start pfn or None (-ENOMEM)."""
    for node in zonelists[nid]:
        span = node_span(h, node)
        if span is None:
            continue
        free = free_intervals(h, node, taken)
        for _, zlo, zhi in ZONES_HIGHEST_FIRST:
            zs, ze = max(span[0], zlo), min(span[1], zhi)
            if zs >= ze:
                continue
            c0 = kernel_align(zs, nr)
            for s, e in free:
                s, e = max(s, zs), min(e, ze)
                if s >= e:
                    continue
                c = c0 if s <= c0 else c0 + -(-(s - c0) // nr) * nr
                # candidate [c, c+nr) must lie in the zone and in this run
                if c + nr <= e:
                    return c
    return None


# ---------------------------------------------------------------------------
# Reserved areas (tdmr_populate_rsvd_areas)

def rsvd_areas(base, size, memlist, pamts, max_rsvd):
    """Holes of the TDMR not covered by the memory list (leading and
    trailing included), then the part of every PAMT inside it, sorted by
    offset, not merged.  Returns (areas [(offset, size)], error or None)."""
    end = base + size
    areas = []

    def add(addr, sz):
        if len(areas) >= max_rsvd:
            return "initialization failed: TDMR [0x%x, 0x%x): reserved areas exhausted." % (base, end)
        areas.append((addr - base, sz))
        return None

    prev_end = base
    for sp, ep, _ in memlist:
        s, e = sp * PAGE, ep * PAGE
        if s >= end:
            break
        if e < base:
            continue
        if s <= prev_end:
            prev_end = e
            continue
        err = add(prev_end, s - prev_end)
        if err:
            return areas, err
        prev_end = e
    if prev_end < end:
        err = add(prev_end, end - prev_end)
        if err:
            return areas, err
    for pb, ps in pamts:
        pe = pb + ps
        if pe <= base or pb >= end:
            continue
        err = add(max(pb, base), min(pe, end) - max(pb, base))
        if err:
            return areas, err
    areas.sort()
    return areas, None


# ---------------------------------------------------------------------------
# The module's CMR checks (TDH.SYS.CONFIG) for a kernel-built layout: PAMT
# overlaps, order and alignment cannot fail there, only convertibility.

def cmr_regions(cmrs):
    """CMRs whose base equals the previous end behave as one region."""
    out = []
    for s, e in sorted(c for c in cmrs if c[1] > c[0]):
        if out and out[-1][1] == s:
            out[-1][1] = e
        else:
            out.append([s, e])
    return out


def inside_one(regions, s, e):
    return any(rs <= s and e <= re_ for rs, re_ in regions)


def module_config(h, tdmrs):
    """Returns the failing status or None.  tdmrs: dicts with base, size,
    pamt [(base, size)] per level 4K, 2M, 1G, rsvd [(off, size)]."""
    regs = cmr_regions(h.cmrs)
    for i, t in enumerate(tdmrs):
        for level in (2, 1, 0):                      # 1G, 2M, 4K
            pb, ps = t["pamt"][level]
            if not inside_one(regs, pb, pb + ps):
                return TDX_PAMT_OUTSIDE_CMRS | i | (level << 8)
        pos = t["base"]
        for off, sz in t["rsvd"] + [(t["size"], 0)]:
            a, b = pos, t["base"] + off
            if a < b and not covered(regs, a, b):
                return TDX_TDMR_OUTSIDE_CMRS | i
            pos = max(pos, t["base"] + off + sz)
    return None


def covered(regions, s, e):
    """[s, e) inside the union of the CMR regions (one region each part)."""
    for rs, re_ in regions:
        if re_ <= s or rs >= e:
            continue
        if rs > s:
            return False
        s = re_
        if s >= e:
            return True
    return s >= e


# ---------------------------------------------------------------------------
# The whole init_tdx_module() path

def plan(plat, boot_cpu_penalty=False):
    """The kernel's TDX init on this platform.  Returns a dict:
    memlist, tdmrs, status ('ok'|'error'), errno, error, log, pamt_kb."""
    h = Host(plat) if not isinstance(plat, Host) else plat
    res = {"memlist": [], "tdmrs": [], "status": "ok", "errno": 0, "error": None,
           "log": [], "pamt_kb": 0, "stage": "ok"}
    memlist = tdx_memlist(h)
    res["memlist"] = [(sp * PAGE, (ep - sp) * PAGE, n) for sp, ep, n in memlist]

    def fail(errno, line, stage):
        if line:
            res["log"].append(line)
        res["status"], res["errno"], res["error"], res["stage"] = "error", errno, line, stage
        res["log"].append("module initialization failed (%d)" % errno)
        res["pamt_kb"] = 0
        return res

    bases, err = fill_out_tdmrs(memlist, h.max_tdmrs)
    res["tdmrs"] = [{"base": b, "size": s} for b, s in bases]
    if err:
        return fail(ENOSPC, err, "tdmrs")
    if h.max_tdmrs - len(bases) < TDMR_NR_WARN:
        res["log"].append("consumed TDMRs reaching limit: %d used out of %d" % (len(bases), h.max_tdmrs))

    zonelists, _ = build_all_zonelists_v6(h, boot_cpu_penalty)
    taken = []
    for t in res["tdmrs"]:
        nid = None
        for sp, ep, n in memlist:
            if ep > t["base"] // PAGE:
                nid = n
                break
        if nid is None:
            nid = 0
            res["log"].append("TDMR [0x%x, 0x%x): unable to find local NUMA node for PAMT allocation, fallback to use node 0."
                              % (t["base"], t["base"] + t["size"]))
        sizes = pamt_sizes(t["size"], h.pamt_entry)
        total = sum(sizes)
        pfn = alloc_contig_pages(h, total // PAGE, nid, zonelists, taken)
        t["node"] = nid
        if pfn is None:
            t["enomem_kb"] = total // 1024
            return fail(ENOMEM, None, "pamt")
        taken.append((pfn, pfn + total // PAGE))
        # the node whose memory holds the block (nid's, or a fallback's)
        t["pamt_node"] = next(n for sp, ep, n in memblock_regions(h) if sp <= pfn < ep)
        b = pfn * PAGE
        t["pamt"] = []
        for s in sizes:
            t["pamt"].append((b, s))
            b += s
    pamts = [(t["pamt"][0][0], sum(s for _, s in t["pamt"])) for t in res["tdmrs"]]
    for t in res["tdmrs"]:
        t["rsvd"], err = rsvd_areas(t["base"], t["size"], memlist, pamts, h.max_rsvd)
        if err:
            return fail(ENOSPC, err, "rsvd")
    st = module_config(h, res["tdmrs"])
    if st is not None:
        res["status_code"] = st
        return fail(EIO, "SEAMCALL (0x%016x) failed: 0x%016x" % (TDH_SYS_CONFIG, st), "module")
    res["pamt_kb"] = sum(s for _, s in pamts) // 1024
    res["log"].append("%d KB allocated for PAMT" % res["pamt_kb"])
    res["log"].append("module initialized")
    return res


def fallback_lines(plat, cpu_penalty=False):
    h = Host(plat) if not isinstance(plat, Host) else plat
    orders, _ = build_all_zonelists_v6(h, cpu_penalty)
    return ["Fallback order for Node %d: %s" % (n, " ".join(str(x) for x in orders[n])) for n in h.nodes]


# ---------------------------------------------------------------------------
# Self-test against the kernel's known numbers

def _node(i, cpus, mem):
    return {"id": i, "cpus": cpus, "kind": "dram",
            "memory": [{"start": s, "size": z} for s, z in mem]}


def self_test(verbose=True):
    fails = []

    def check(what, got, want):
        ok = got == want
        if verbose or not ok:
            print("%s %s: got %s, want %s" % ("ok  " if ok else "FAIL", what, got, want))
        if not ok:
            fails.append(what)

    # Issue 8, host 1: one node, RAM [1M, 1G): PAMT at 0x1000000 (DMA32
    # before DMA), 4108 KB, 2 reserved areas.
    p1 = {"nodes": [{"id": 0, "cpus": "0-3", "memory": [{"start": 0x100000, "end": 0x40000000}]}],
          "distances": [[10]],
          "tdx": {"enabled": True, "cmrs": [{"start": 0x100000, "end": 0x40000000}]}}
    r = plan(p1)
    check("host1 status", r["status"], "ok")
    check("host1 PAMT base", hex(r["tdmrs"][0]["pamt"][0][0]), "0x1000000")
    check("host1 PAMT KB", r["pamt_kb"], 4108)
    check("host1 reserved areas", len(r["tdmrs"][0]["rsvd"]), 2)
    check("host1 log", r["log"][-2:], ["4108 KB allocated for PAMT", "module initialized"])

    # Issue 8, host 2: nodes 0 (CPUs, [1G, +2M)), 1 (CPUs, [4G, +1G)),
    # 2 (no CPUs, [8G, +1G)), distances 20.  The issue lists 0x200000000,
    # 0x100000000, 0x200403000: that is node 0's zonelist with the CPU
    # penalty (0 2 1).  The boot zonelists have none (issue 8 item 6, SPEC
    # 3.5/7): node 0's is 0 1 2, giving 0x100000000, 0x100403000,
    # 0x200000000.  Both are checked; the kernel's boot rule is the model's.
    p2 = {"nodes": [_node(0, "0-3", [(0x40000000, 2 << 20)]),
                    _node(1, "4-7", [(4 << 30, 1 << 30)]),
                    _node(2, "", [(8 << 30, 1 << 30)])],
          "distances": [[10, 20, 20], [20, 10, 20], [20, 20, 10]],
          "tdx": {"enabled": True, "cmrs": [{"start": 0x40000000, "size": 2 << 20},
                                           {"start": 4 << 30, "size": 1 << 30},
                                           {"start": 8 << 30, "size": 1 << 30}]}}
    r = plan(p2)
    check("host2 (boot zonelists) PAMTs", [hex(t["pamt"][0][0]) for t in r["tdmrs"]],
          ["0x100000000", "0x100403000", "0x200000000"])
    check("host2 PAMT KB", r["pamt_kb"], 12324)
    r = plan(p2, boot_cpu_penalty=True)
    check("host2 (CPU penalty, the issue's numbers) PAMTs", [hex(t["pamt"][0][0]) for t in r["tdmrs"]],
          ["0x200000000", "0x100000000", "0x200403000"])
    check("host2 (CPU penalty) PAMT KB", r["pamt_kb"], 12324)
    check("host2 boot fallback lines", fallback_lines(p2),
          ["Fallback order for Node 0: 0 1 2", "Fallback order for Node 1: 1 2 0",
           "Fallback order for Node 2: 2 0 1"])

    # Issue 8, host 3: -ENOMEM, no stride position fits.
    p3 = {"nodes": [_node(0, "0-3", [(0x13F9FC000, 0xC08000)]),
                    _node(1, "4-7", [(0x40000000, 2 << 20)])],
          "distances": [[10, 20], [20, 10]],
          "tdx": {"enabled": True, "cmrs": [{"start": 0x40000000, "size": 2 << 20},
                                           {"start": 0x13F9FC000, "size": 0xC08000}]}}
    r = plan(p3)
    check("host3 errno", r["errno"], ENOMEM)
    check("host3 log", r["log"], ["module initialization failed (-12)"])

    # Issue 8 / SPEC 7, the distance model: nodes 0-3, only node 1 has
    # CPUs: 1->3, 3->2, 2->0 (5.15).
    p4 = {"nodes": [_node(i, "0-3" if i == 1 else "", [((4 + i) << 30, 1 << 30)]) for i in range(4)],
          "distances": [[10, 20, 20, 20], [20, 10, 30, 20], [20, 30, 10, 20], [20, 20, 20, 10]]}
    t = distance_demotion_targets(Host(p4))
    check("distance model 1->3, 3->2, 2->0", (t[1], t[3], t[2], t[0]), (3, 2, 0, None))
    # SPEC 7: nodes 0,1 CPU+DRAM, 2,3 memory-only: 0->2, 1->3.
    p5 = {"nodes": [_node(i, "0" if i < 2 else "", [((4 + i) << 30, 1 << 30)]) for i in range(4)],
          "distances": [[10, 20, 30, 40], [20, 10, 40, 30], [30, 40, 10, 40], [40, 30, 40, 10]]}
    t = distance_demotion_targets(Host(p5))
    check("distance model 0->2, 1->3", (t[0], t[1], t[2], t[3]), (2, 3, None, None))
    # Memoryless node 0 with CPUs next to memory node 1 (v6.8 N_MEMORY).
    p6 = {"nodes": [{"id": 0, "cpus": "0-3", "memory": []}, _node(1, "", [(4 << 30, 1 << 30)])],
          "distances": [[10, 20], [20, 10]]}
    check("memoryless node 0", fallback_lines(p6)[0], "Fallback order for Node 0: 1")
    # ALIGN with the kernel's mask for a non-power-of-two: 1027 pages.
    check("ALIGN(0x100000, 1027)", hex(kernel_align(0x100000, 1027)), "0x100000")
    check("ALIGN(0x100001, 1027) (mask, not a multiple)", hex(kernel_align(0x100001, 1027)), "0x100001")
    print("model self-test: %d failed" % len(fails))
    return not fails


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--self-test":
        sys.exit(0 if self_test() else 1)
    for f in sys.argv[1:]:
        with open(f) as fh:
            p = json.load(fh)
        r = plan(p)
        print(json.dumps(r, indent=1, default=str))
        print("\n".join(fallback_lines(p)))
