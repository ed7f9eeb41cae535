/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP output for the harness's test programs (harness/stress,
 * harness/glibc-client): the plan, diagnostics, one line a result, and the
 * totals. Everything is static: a program includes this once.
 */
#ifndef HARNESS_KTAP_H
#define HARNESS_KTAP_H

#include <stdarg.h>
#include <stdio.h>

#ifndef __maybe_unused
#define __maybe_unused	__attribute__((unused))
#endif

enum verdict { FAIL, PASS, SKIP };

static int ktap_tests, ktap_pass, ktap_fail, ktap_skip;

static __maybe_unused void ktap_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

static __maybe_unused void __attribute__((format(printf, 1, 2))) diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* One result; @fmt, if given, is printed as a diagnostic first (the reason). */
static __maybe_unused void __attribute__((format(printf, 3, 4)))
result(enum verdict v, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		printf("# %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	ktap_tests++;
	if (v == SKIP) {
		ktap_skip++;
		printf("ok %d %s # SKIP\n", ktap_tests, name);
	} else if (v == PASS) {
		ktap_pass++;
		printf("ok %d %s\n", ktap_tests, name);
	} else {
		ktap_fail++;
		printf("not ok %d %s\n", ktap_tests, name);
	}
	fflush(stdout);
}

/*
 * Prints the totals and returns the exit status: 0, 1 on any failure (or
 * if the number of results is not @planned), or 4 if all were skipped.
 */
static __maybe_unused int ktap_finish(int planned)
{
	if (ktap_tests != planned) {
		diag("planned %d results, printed %d", planned, ktap_tests);
		ktap_fail++;
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       ktap_pass, ktap_fail, ktap_skip);
	fflush(stdout);
	if (ktap_fail)
		return 1;
	if (ktap_skip && !ktap_pass)
		return 4;
	return 0;
}

#endif /* HARNESS_KTAP_H */
