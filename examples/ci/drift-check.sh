#!/usr/bin/env bash
# Drift detection, for cron: does the database still match the schema file?
#
#   drift-check.sh [EXTRA RECONCILE ARGS...]   e.g. drift-check.sh --exclude 'public.schema_migrations'
#
# Runs `reconcile --check --format text --schema $RECONCILE_SCHEMA` and
#   exit 0 (in sync)  prints nothing, alerts nobody: cron stays quiet;
#   exit 2 (drift)    runs the alert command with the drift report on stdin;
#   other (error)     runs the alert command with "check failed" and
#                     reconcile's error output on stdin.
# The exit status is reconcile's, so a wrapper or monitor can tell them apart.
#
# Environment:
#   DATABASE_URL         the database (reconcile reads it itself; a read-only
#                        role is enough, see the README's Privileges section)
#   RECONCILE            the reconcile binary (default: `reconcile` on PATH)
#   RECONCILE_SCHEMA     the schema file (default: schema.yaml, relative to the
#                        current directory, which for cron is $HOME)
#   RECONCILE_ALERT_CMD  a shell command that receives the alert text on stdin
#                        (default: `logger -t reconcile`, i.e. syslog/journal).
#                        It runs with RECONCILE_ALERT_KIND=drift|error and
#                        RECONCILE_EXIT_CODE set, for a subject line:
#                        RECONCILE_ALERT_CMD='mail -s "schema $RECONCILE_ALERT_KIND on $(hostname)" ops@example.com'
set -uo pipefail

prog=drift-check
reconcile=${RECONCILE:-reconcile}
schema=${RECONCILE_SCHEMA:-schema.yaml}
alert_cmd=${RECONCILE_ALERT_CMD:-logger -t reconcile}

work=$(mktemp -d "${TMPDIR:-/tmp}/drift-check.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

rc=0
"$reconcile" --check --format text --schema "$schema" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?

case $rc in
0) exit 0 ;;
2) kind=drift report=$work/stdout ;;
*)
	kind=error report=$work/alert
	{
		echo "reconcile: schema check failed (exit $rc) for $schema"
		cat "$work/stderr"
	} >"$report"
	;;
esac

alert_rc=0
RECONCILE_ALERT_KIND=$kind RECONCILE_EXIT_CODE=$rc RECONCILE_SCHEMA=$schema \
	bash -c "$alert_cmd" <"$report" || alert_rc=$?
if ((alert_rc != 0)); then
	# Cron mails what a job prints: the last resort when the alert itself fails.
	echo "$prog: the alert command failed (exit $alert_rc): $alert_cmd" >&2
	echo "$prog: it was to receive:" >&2
	cat "$report" >&2
fi
exit "$rc"
