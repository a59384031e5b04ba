# shellcheck shell=bash
# Topology files (tests/qemu/topologies/*.topo), read by run.sh and compare.sh.
# One topology describes a QEMU guest and the confmem platform that stands
# for it, so the two sides are made from the same lines:
#
#   # what the topology shows (the first comment is its title)
#   hmat on|off                    the machine's HMAT (default off)
#   node ID [cpus=N] [mem=MIB] [kind=KIND] [hmat=RL,WL,RB,WB] [initiator=ID]
#   dist A B VALUE                 both directions (QEMU's default too)
#   dist1 A B VALUE                A to B only (an asymmetric SLIT)
#   kmem ID                        node ID's memory is soft-reserved at boot
#                                  (memmap=...%...-1+0xefffffff) and onlined
#                                  after boot through device-dax/kmem
#
# Nodes are listed in id order from 0, the nodes with CPUs first: x86 numbers
# nodes in the order the SRAT names their proximity domains, and QEMU's SRAT
# names the CPUs' first. cpus=N gives the node the next N CPUs;
# mem=0 (the default) is a node without memory. hmat= is the latency (ns) and
# bandwidth (MB/s) from the node's initiator (the node itself when it has
# CPUs, else initiator= or node 0) to the node, as the kernel's
# ACCESS_COORDINATE_CPU sees it; QEMU is given read and write latency and
# bandwidth separately. Missing distances are 20 (10 on the diagonal).
# QEMU describes every node as a memory proximity domain in its HMAT, and
# Linux rejects an HMAT that names one without memory ("acpi/hmat:
# Ignoring: Invalid table"): with a memoryless node the platform JSON has
# no HMAT data at all, as the kernel ends up with none.
# Sourced; sets topo_* variables with topo_read FILE.

# shellcheck disable=SC2034 # the topo_* variables are read by the scripts that source this
topo_read() {
	local file=$1 word key value id
	topo_title=$(sed -n 's/^# *//p' "$file" | head -1)
	topo_hmat=off
	topo_kmem=""
	topo_nr=0
	topo_cpus=() topo_mem=() topo_kind=() topo_perf=() topo_init=()
	declare -gA topo_dist=()
	while read -r word rest; do
		case "$word" in
		''|'#'*) ;;
		hmat) topo_hmat=$rest ;;
		kmem) topo_kmem=$rest ;;
		node)
			set -- $rest
			id=$1
			shift
			[ "$id" -eq "$topo_nr" ] || { echo "$file: node $id out of order" >&2; return 1; }
			topo_cpus[id]=0 topo_mem[id]=0 topo_kind[id]=dram topo_perf[id]="" topo_init[id]=""
			for word in "$@"; do
				key=${word%%=*} value=${word#*=}
				case "$key" in
				cpus) topo_cpus[id]=$value ;;
				mem) topo_mem[id]=$value ;;
				kind) topo_kind[id]=$value ;;
				hmat) topo_perf[id]=$value ;;
				initiator) topo_init[id]=$value ;;
				*) echo "$file: unknown node field $key" >&2; return 1 ;;
				esac
			done
			if [ "${topo_cpus[id]}" -gt 0 ] && [ "$id" -gt 0 ] && [ "${topo_cpus[id - 1]}" -eq 0 ]; then
				echo "$file: node $id has CPUs after a node without: list CPU nodes first" >&2
				return 1
			fi
			topo_nr=$((topo_nr + 1))
			;;
		dist)
			set -- $rest
			topo_dist[$1,$2]=$3 topo_dist[$2,$1]=$3
			;;
		dist1)
			set -- $rest
			topo_dist[$1,$2]=$3
			;;
		*) echo "$file: unknown line $word" >&2; return 1 ;;
		esac
	done < "$file"
}

topo_distance() {
	if [ "$1" -eq "$2" ]; then echo 10; else echo "${topo_dist[$1,$2]:-20}"; fi
}

# The initiator of node $1: itself with CPUs, else initiator= or node 0.
topo_initiator() {
	if [ "${topo_cpus[$1]}" -gt 0 ]; then echo "$1"; else echo "${topo_init[$1]:-0}"; fi
}

# "first-last" list of the CPUs of node $1, or "" (CPUs numbered in node order).
topo_cpulist() {
	local first=0 i
	for ((i = 0; i < $1; i++)); do first=$((first + topo_cpus[i])); done
	case "${topo_cpus[$1]}" in
	0) echo "" ;;
	1) echo "$first" ;;
	*) echo "$first-$((first + topo_cpus[$1] - 1))" ;;
	esac
}

# The sum of topo_$1[] (mem or cpus) over the nodes.
topo_total() {
	local -n values="topo_$1"
	local total=0 i
	for ((i = 0; i < topo_nr; i++)); do total=$((total + values[i])); done
	echo "$total"
}

# The QEMU arguments of the topology (after -machine, -kernel and friends).
topo_qemu_args() {
	local i j cpus perf rl wl rb wb
	printf -- '-m %sM -smp %s,sockets=%s\n' "$(topo_total mem)" "$(topo_total cpus)" "$(topo_total cpus)"
	for ((i = 0; i < topo_nr; i++)); do
		local node="-numa node,nodeid=$i"
		if [ "${topo_mem[i]}" -gt 0 ]; then
			printf -- '-object memory-backend-ram,id=m%s,size=%sM\n' "$i" "${topo_mem[i]}"
			node+=",memdev=m$i"
		fi
		cpus=$(topo_cpulist "$i")
		[ -n "$cpus" ] && node+=",cpus=$cpus"
		[ "$topo_hmat" = on ] && node+=",initiator=$(topo_initiator "$i")"
		echo "$node"
	done
	for ((i = 0; i < topo_nr; i++)); do
		for ((j = 0; j < topo_nr; j++)); do
			[ "$i" -ne "$j" ] && echo "-numa dist,src=$i,dst=$j,val=$(topo_distance "$i" "$j")"
		done
	done
	for ((i = 0; i < topo_nr; i++)); do
		perf=${topo_perf[i]}
		[ -n "$perf" ] || continue
		IFS=, read -r rl wl rb wb <<< "$perf"
		local lb
		lb="-numa hmat-lb,initiator=$(topo_initiator "$i"),target=$i,hierarchy=memory"
		echo "$lb,data-type=read-latency,latency=$rl"
		echo "$lb,data-type=write-latency,latency=$wl"
		echo "$lb,data-type=read-bandwidth,bandwidth=${rb}M"
		echo "$lb,data-type=write-bandwidth,bandwidth=${wb}M"
	done
}

# Start and size (bytes) of node $1's memory in the guest: nodes in order from 0.
topo_node_range() {
	local i start=0
	for ((i = 0; i < $1; i++)); do start=$((start + (topo_mem[i] << 20))); done
	echo "$start $((topo_mem[$1] << 20))"
}

# The kernel arguments that make the kmem node's memory soft-reserved.
topo_kernel_args() {
	local start size
	[ -n "$topo_kmem" ] || return 0
	read -r start size < <(topo_node_range "$topo_kmem")
	printf 'memmap=%sM%%%sM-1+0xefffffff confmem.kmem' "$((size >> 20))" "$((start >> 20))"
}

# Whether the kernel keeps QEMU's HMAT: on, and every node has memory.
topo_hmat_valid() {
	local i
	[ "$topo_hmat" = on ] || return 1
	for ((i = 0; i < topo_nr; i++)); do [ "${topo_mem[i]}" -gt 0 ] || return 1; done
}

# The confmem platform JSON of the topology: each node's memory is boot RAM,
# laid out one node after the other from 1 MiB (where it lies does not
# matter to the tiers); no TDX.
topo_platform_json() {
	local name=$1 i j start=$((1 << 20)) size sep hmat=0
	topo_hmat_valid && hmat=1
	printf '{\n  "name": "%s",\n  "nodes": [\n' "$name"
	for ((i = 0; i < topo_nr; i++)); do
		size=$((topo_mem[i] << 20))
		[ "$i" -eq 0 ] && [ "$size" -gt 0 ] && size=$((size - start))
		printf '    { "id": %s, "cpus": "%s", "kind": "%s", "memory": [' "$i" "$(topo_cpulist "$i")" "${topo_kind[i]}"
		if [ "$size" -gt 0 ] && [ "$i" != "$topo_kmem" ]; then
			printf ' { "start": "0x%x", "size": "0x%x" } ' "$start" "$size"
		fi
		start=$((start + size))
		printf ']'
		if [ -n "${topo_perf[i]}" ] && [ "$hmat" -eq 1 ]; then
			IFS=, read -r rl wl rb wb <<< "${topo_perf[i]}"
			printf ',\n      "hmat": { "read_latency_ns": %s, "write_latency_ns": %s, ' "$rl" "$wl"
			printf '"read_bandwidth_mbps": %s, "write_bandwidth_mbps": %s }' "$rb" "$wb"
		fi
		[ "$i" -lt $((topo_nr - 1)) ] && sep=, || sep=
		printf ' }%s\n' "$sep"
	done
	printf '  ],\n  "distances": ['
	for ((i = 0; i < topo_nr; i++)); do
		printf '%s[' "$([ "$i" -gt 0 ] && echo ', ')"
		for ((j = 0; j < topo_nr; j++)); do
			printf '%s%s' "$([ "$j" -gt 0 ] && echo ', ')" "$(topo_distance "$i" "$j")"
		done
		printf ']'
	done
	printf ']'
	if [ -n "$topo_kmem" ]; then
		read -r start size < <(topo_node_range "$topo_kmem")
		printf ',\n  "e820": [ { "start": "0x0", "end": "0x100000", "type": "reserved" },\n'
		printf '            { "start": "0x100000", "end": "0x%x", "type": "usable" },\n' "$start"
		printf '            { "start": "0x%x", "end": "0x%x", "type": "soft-reserved" }' "$start" "$((start + size))"
		[ $((start + size)) -lt $(($(topo_total mem) << 20)) ] &&
			printf ',\n            { "start": "0x%x", "end": "0x%x", "type": "usable" }' \
				"$((start + size))" "$(($(topo_total mem) << 20))"
		printf ' ],\n'
		printf '  "hotplug": [ { "start": "0x%x", "size": "0x%x", "node": %s, "convertible": false } ]' \
			"$start" "$size" "$topo_kmem"
	fi
	printf '\n}\n'
}

# A scenario that hot-adds the kmem node's memory at 1 ms (its trace has
# the demotion lines printed when it comes online).
topo_kmem_scenario() {
	local start size
	read -r start size < <(topo_node_range "$topo_kmem")
	printf '{ "platform": "%s", "seed": 1, "duration_ms": 2,\n' "$1"
	printf '  "events": [ { "at_ms": 1, "kind": "hotadd", "start": "0x%x", "size": "0x%x" } ] }\n' "$start" "$size"
}
