# SPDX-License-Identifier: GPL-2.0
#
# The harness of the vgetrandom-6.1 series. See README.md.
#
#   make             build the patched kernel, boot it in QEMU, run the suite
#   make check       what CI runs: the harness's own tests, the host-side
#                    unit test of vDSO getrandom(), the series checks
#                    (export, git am, checkpatch), the main job, check-base,
#                    regress and build-each; the main job, check-base and
#                    build-each for arm64
#   make tree        assemble build/linux (base + series) for editing
#   make refresh     take the edits made in build/linux back into the repo
#   make tree-reset  drop the edits made in build/linux
#   make export      write the mailable series to build/series and check it
#   make build-each  build the kernel at every commit of the series
#   make build-checks  more builds: feature options off, 32-bit and x32 vDSOs,
#                    i386; W=1 and sparse against the base; htmldocs
#   make apply-check  git am the exported series (make export first) onto
#                    every 6.1 base there is, Debian's and upstream: a table
#   make move-base   move the series and the pin onto the newest Debian
#                    6.1 (or VERSION=...)
#   make vanilla     `make` with the series on upstream 6.1.y (no Debian
#                    patches): the pin's release
#   make series-check  what a maintainer checks: export, apply-check,
#                    build-each, build-checks and vanilla, with a summary
#   make bench       the built vDSO's getrandom() natively on the host, beside
#                    the host kernel's and the syscall (figures); ARCH=arm64:
#                    the arm64 block function under qemu-user (checks and
#                    instruction counts, no timings)
#   make stress      the stress tests (harness/stress) in full, in the guest
#   make check-base  run the series' selftests on the base kernel, without
#                    the series, and check that they fail there
#   make regress     6.1's own mm selftests (vm's run_vmtests.sh, the memory
#                    cgroup tests) on the base kernel and on the series',
#                    side by side: fails on a test that only the base passes
#   make debian      the series built with Debian 12's own amd64
#                    configuration, booted and run like `make`, and its
#                    files' warnings against the base's (long: not in CI)
#   make clean       remove build/ (the cached base stays)
#
# KERNEL=debug selects the debug kernel (KASAN, DEBUG_VM, lockdep);
# KERNEL=base the base kernel with only the series' selftests;
# KERNEL=debian the series' kernel with Debian's configuration (x86_64).
# SOURCE=vanilla puts the series on the upstream 6.1.y release of the pin
# instead of Debian's source of it (`make vanilla` is `make SOURCE=vanilla`).
# ARCH=arm64 builds, boots and tests an arm64 kernel instead of x86-64 (the
# default): make, check-base, stress, build-each and KERNEL=debug take it;
# `make check` runs both architectures whatever ARCH says. What differs
# is in harness/common.sh (arch_settings) and harness/config/ARCH.config.

KERNEL ?= normal
export KERNEL
SOURCE ?= debian
export SOURCE

.PHONY: all run deps tree kernel initramfs check harness-test unit export \
	build-each build-checks apply-check move-base vanilla series-check check-base \
	bench stress regress debian refresh tree-reset clean

all: run

deps:
	@harness/deps.sh

tree: deps
	@harness/assemble.sh

kernel: tree
	@harness/kernel.sh

initramfs: kernel
	@harness/initramfs.sh

run: initramfs
	@harness/boot.sh

export: tree
	@harness/export.sh

harness-test:
	@harness/tests/run.sh

unit: tree
	@harness/unit.sh

check:
	@harness/check.sh

build-each: tree
	@harness/build-each.sh

build-checks: tree
	@harness/build-checks.sh

apply-check: tree
	@harness/apply-check.sh

move-base: deps
	@harness/move-base.sh $(VERSION)

vanilla:
	@SOURCE=vanilla $(MAKE) --no-print-directory run

series-check:
	@harness/check.sh export apply-check build-each build-each:arm64 build-checks vanilla

stress:
	@SUITE=stress-suite $(MAKE) --no-print-directory run

# ARCH=arm64: the arm64 block function under qemu-user, from the tree alone
ifeq ($(ARCH),arm64)
bench: tree
	@ARCH=arm64 harness/bench.sh
else
bench: kernel
	@harness/bench.sh
endif

check-base:
	@KERNEL=base harness/check-base.sh

regress: tree
	@harness/regress.sh

debian: tree
	@harness/debian.sh

refresh:
	@harness/refresh.sh

tree-reset:
	@git -C build/linux reset -q --hard refs/harness/assembled
	@git -C build/linux clean -q -fd

clean:
	rm -rf build
