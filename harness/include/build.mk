# SPDX-License-Identifier: GPL-2.0
#
# Included by the Makefiles of the harness's C programs (../stress,
# ../glibc-client), after they set HERE to their own folder: the build
# folder, the flags, and the headers of this folder that they share.

INCLUDE_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
O ?= $(HERE)/build
OUT := $(abspath $(O))

CFLAGS ?= -O2
# kept when CFLAGS is given on the command line
WARN_THREADS := -Wall -pthread -I$(INCLUDE_DIR)
SHARED_HEADERS := $(INCLUDE_DIR)/ktap.h $(INCLUDE_DIR)/vdso_lookup.h \
		  $(INCLUDE_DIR)/arch.h $(INCLUDE_DIR)/build.mk
