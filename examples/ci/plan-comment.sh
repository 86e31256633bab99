#!/usr/bin/env bash
# Code review: what would `reconcile --apply` do to a database that matches the
# base branch, if this pull request's schema file were deployed?
#
#   plan-comment.sh BASE_SCHEMA HEAD_SCHEMA [OUT.md] [-- EXTRA RECONCILE ARGS...]
#
# e.g.  git show origin/main:schema.yaml > base.yaml
#       examples/ci/plan-comment.sh base.yaml schema.yaml plan.md
#
# 1. starts a throwaway PostgreSQL (the repository's scripts/throwaway-postgres),
# 2. applies BASE_SCHEMA to it (an empty BASE_SCHEMA file means: start from an
#    empty database, for the pull request that adds the first schema file),
# 3. runs `reconcile --plan --format markdown --schema HEAD_SCHEMA` against it
#    and writes the Markdown to OUT.md (default plan.md),
# 4. posts OUT.md as a pull-request comment when GITHUB_TOKEN, GITHUB_REPOSITORY
#    and PR_NUMBER are all set; otherwise only writes the file and says so,
# 5. stops the server and deletes its data, however the script ends.
#
# Arguments after `--` go to the plan run only (e.g. --allow-destructive,
# --exclude 'public.schema_migrations'); pass the same ones to release.sh.
#
# Environment:
#   RECONCILE          the reconcile binary (default: `reconcile` on PATH)
#   RECONCILE_REPO     checkout of the reconcile repository, for
#                      scripts/throwaway-postgres (default: two levels above
#                      this script)
#   RECONCILE_PLAN_OUT also save the plan as JSON here (`--plan --out`), for
#                      release.sh's RECONCILE_PLAN_FILE
#   GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), PR_NUMBER: where to comment
#   GITHUB_API_URL     API root (default https://api.github.com; set by Actions,
#                      so GitHub Enterprise Server works too)
#   PG_BINDIR          which PostgreSQL server binaries to use (see
#                      scripts/lib/pg-bin.sh)
#
# Exit status: 0 written (and posted, if configured); the reconcile exit status
# if applying the base schema or planning failed (OUT.md is then not written);
# 1 for anything else (bad arguments, the server did not start, posting failed).
set -euo pipefail

prog=plan-comment
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
reconcile=${RECONCILE:-reconcile}
repo=${RECONCILE_REPO:-$(cd "$here/../.." && pwd)}
throwaway=$repo/scripts/throwaway-postgres
# GitHub refuses comments longer than 65536 characters; bytes >= characters,
# so a body within this many bytes always fits.
max_comment_bytes=${PLAN_COMMENT_MAX_BYTES:-65000}

die() {
	echo "$prog: $*" >&2
	exit 1
}

usage() {
	echo "usage: $prog BASE_SCHEMA HEAD_SCHEMA [OUT.md] [-- EXTRA RECONCILE ARGS...]" >&2
	exit 1
}

(($# >= 2)) || usage
base=$1
head=$2
shift 2
out=plan.md
if (($# > 0)) && [[ $1 != -- ]]; then
	out=$1
	shift
fi
if (($# > 0)); then
	[[ $1 == -- ]] || usage
	shift
fi
extra=("$@")

[[ -f $base ]] || die "base schema $base does not exist (for no base schema, pass an empty file)"
[[ -f $head ]] || die "schema $head does not exist"
command -v "$reconcile" >/dev/null 2>&1 || die "reconcile binary '$reconcile' not found (set RECONCILE)"
[[ -x $throwaway ]] || die "$throwaway not found or not executable (set RECONCILE_REPO to a reconcile checkout)"

work=$(mktemp -d "${TMPDIR:-/tmp}/plan-comment.XXXXXX")
data_dir=

cleanup() {
	local rc=$?
	trap - INT TERM HUP
	if [[ -n $data_dir ]]; then
		if "$throwaway" stop "$data_dir"; then
			echo "$prog: stopped the throwaway PostgreSQL and removed $data_dir" >&2
		else
			echo "$prog: could not stop the throwaway PostgreSQL in $data_dir" >&2
			((rc != 0)) || rc=1
		fi
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
# Turn signals into exits, so the EXIT trap stops the server.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- 1. the server -----------------------------------------------------------
# `start` prints the URL on stdout and "data in DIR (stop with: ...)" on stderr.
# A failed start cleans up after itself.
if ! url=$("$throwaway" start 2>"$work/start.log"); then
	cat "$work/start.log" >&2
	die "could not start a throwaway PostgreSQL"
fi
data_dir=$(sed -n 's/^throwaway-postgres: data in \(.*\) (stop with: .*$/\1/p' "$work/start.log")
if [[ -z $data_dir || ! -d $data_dir ]]; then
	cat "$work/start.log" >&2
	die "started a PostgreSQL at $url but cannot tell its data directory, so cannot stop it"
fi
echo "$prog: throwaway PostgreSQL at $url" >&2

# The caller's PG* variables (PGSSLMODE=require, PGPASSWORD, ...) are meant for
# some other server; libpq would apply them to ours too.
for v in $(compgen -e); do
	if [[ $v == PG* ]]; then unset "$v"; fi
done

# --- 2. the base branch's schema ----------------------------------------------
if [[ -s $base ]]; then
	rc=0
	"$reconcile" --apply --schema "$base" --database-url "$url" >"$work/base.log" 2>&1 || rc=$?
	if ((rc != 0)); then
		cat "$work/base.log" >&2
		echo "$prog: applying the base schema $base failed (reconcile exit $rc); $out not written" >&2
		exit "$rc"
	fi
	from="the base branch's schema ($base)"
else
	from="an empty database (the base schema file $base is empty)"
fi

# --- 3. the plan ----------------------------------------------------------------
plan_args=(--plan --format markdown --schema "$head" --database-url "$url")
if [[ -n ${RECONCILE_PLAN_OUT:-} ]]; then plan_args+=(--out "$RECONCILE_PLAN_OUT"); fi
# reconcile's stderr goes straight through: its errors name the file and line.
rc=0
"$reconcile" "${plan_args[@]}" ${extra[@]+"${extra[@]}"} >"$work/plan.md" || rc=$?
if ((rc != 0)); then
	echo "$prog: reconcile --plan failed (exit $rc); $out not written" >&2
	exit "$rc"
fi
{
	printf '\n---\n'
	printf '<sub>Planned by reconcile against a throwaway database built from %s, not against production.</sub>\n' "$from"
} >>"$work/plan.md"
# Copied into place only now: a failed run never leaves a half-written file.
cp "$work/plan.md" "$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
echo "$prog: wrote $out${RECONCILE_PLAN_OUT:+ and $RECONCILE_PLAN_OUT}" >&2

# --- 4. the comment ---------------------------------------------------------------
missing=()
for v in GITHUB_TOKEN GITHUB_REPOSITORY PR_NUMBER; do
	if [[ -z ${!v:-} ]]; then missing+=("$v"); fi
done
if ((${#missing[@]})); then
	list=$(printf ', %s' "${missing[@]}")
	echo "$prog: not posting a comment: ${list#, } not set (posting needs GITHUB_TOKEN, GITHUB_REPOSITORY and PR_NUMBER)" >&2
	exit 0
fi
[[ $PR_NUMBER =~ ^[0-9]+$ ]] || die "PR_NUMBER must be a number, not '$PR_NUMBER'"
[[ $GITHUB_REPOSITORY =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || die "GITHUB_REPOSITORY must be owner/name, not '$GITHUB_REPOSITORY'"

body_file=$work/body.md
size=$(wc -c <"$out")
if ((size <= max_comment_bytes)); then
	cp "$out" "$body_file"
else
	# Cut at a line boundary, then close an open code fence and <details>.
	head -c "$((max_comment_bytes - 600))" "$out" | sed '$d' >"$body_file"
	fences=$(grep -c '^```' "$body_file" || true)
	if ((fences % 2 == 1)); then printf '```\n' >>"$body_file"; fi
	if grep -q '^<details>' "$body_file" && ! grep -q '^</details>' "$body_file"; then
		printf '\n</details>\n' >>"$body_file"
	fi
	printf '\n**Plan truncated:** it is %d bytes, more than a comment holds. The full plan is in the workflow run (artifact or log).\n' "$size" >>"$body_file"
fi

# A JSON string, in bash: backslash and quote first, then control characters.
json_string() {
	local s=$1 bs=$'\\' q='"' i c hex
	s=${s//"$bs"/"$bs$bs"}
	s=${s//"$q"/"$bs$q"}
	s=${s//$'\n'/"${bs}n"}
	s=${s//$'\r'/"${bs}r"}
	s=${s//$'\t'/"${bs}t"}
	for ((i = 1; i < 32; i++)); do
		printf -v hex '%02x' "$i"
		printf -v c '%b' "\\x$hex"
		s=${s//"$c"/"${bs}u00$hex"}
	done
	printf '"%s"' "$s"
}
body=
IFS= read -r -d '' body <"$body_file" || true
printf '{"body":%s}\n' "$(json_string "$body")" >"$work/request.json"

# Headers from a file, so the token is not in curl's command line (ps shows those).
(
	umask 077
	printf 'Authorization: Bearer %s\nAccept: application/vnd.github+json\nX-GitHub-Api-Version: 2022-11-28\nContent-Type: application/json\n' \
		"$GITHUB_TOKEN" >"$work/headers"
)
api=${GITHUB_API_URL:-https://api.github.com}
endpoint="$api/repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments"
status=$(curl --silent --show-error --request POST --header "@$work/headers" \
	--data-binary "@$work/request.json" --output "$work/response.json" \
	--write-out '%{http_code}' "$endpoint") || status=000
if [[ $status != 2?? ]]; then
	if [[ -s $work/response.json ]]; then cat "$work/response.json" >&2 && echo >&2; fi
	die "posting the comment to $endpoint failed (HTTP $status); the plan is in $out"
fi
echo "$prog: posted $out as a comment on $GITHUB_REPOSITORY#$PR_NUMBER" >&2
