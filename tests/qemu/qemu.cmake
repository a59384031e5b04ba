# Memory tiers against a real 6.12 kernel under QEMU (tests/qemu, docs/qemu-tiers.md).
# 'ninja qemu-tiers' boots every topology; the test suite boots three and is
# skipped (exit 77) where QEMU, busybox-static or the kernel image is missing.
# Neither downloads anything: tests/qemu/fetch-kernel.sh does, when asked.
add_custom_target(qemu-tiers
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run.sh --confmem $<TARGET_FILE:confmem-cli>
  DEPENDS confmem-cli
  USES_TERMINAL
  COMMENT "Booting the kernel under QEMU on every topology of tests/qemu/topologies")
add_test(NAME qemu/boot_tiers
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run.sh --confmem $<TARGET_FILE:confmem-cli>
          04-kernel-example-hmat-all 07-dram-beyond-10-percent 16-kmem-soft-reserved)
set_tests_properties(qemu/boot_tiers PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
# Reclaim, memory cgroups and run-time hot-add against the same kernel
# (tests/qemu/reclaim.sh): 'ninja qemu-reclaim' and the test run every case.
add_custom_target(qemu-reclaim
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/reclaim.sh -v --confmem $<TARGET_FILE:confmem-cli>
  DEPENDS confmem-cli
  USES_TERMINAL
  COMMENT "Booting the kernel under QEMU for the reclaim, memcg and hot-add cases of tests/qemu/reclaim")
add_test(NAME qemu/reclaim
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/reclaim.sh --confmem $<TARGET_FILE:confmem-cli>)
set_tests_properties(qemu/reclaim PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
