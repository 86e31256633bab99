#!/usr/bin/env bash
# Deploy side of the review: downloads the plan that was reviewed in the pull request that produced a
# commit on the main branch, so release.sh applies exactly that plan (RECONCILE_PLAN_FILE=DIR/plan.json).
#
#   fetch-reviewed-plan.sh DIR [COMMIT]          (default COMMIT: $GITHUB_SHA)
#
# Finds the pull request of COMMIT, its head commit, the newest successful run of the plan workflow on that
# head, and downloads that run's artifact reconcile-plan-pr-<number> into DIR (plan.json, plan.md). When
# there is no pull request (a direct push) or no successful plan run, it writes nothing, says so, and
# exits 0: release.sh then plans afresh against the database. A failing `gh` exits 1.
#
# Environment: GH_TOKEN (gh's token; actions: read, pull-requests: read), GITHUB_REPOSITORY (owner/name,
# set by Actions), RECONCILE_WORKFLOW (the plan workflow's file name, default reconcile.yml).
set -euo pipefail

prog=fetch-reviewed-plan
if (($# < 1 || $# > 2)); then
	echo "usage: fetch-reviewed-plan DIR [COMMIT]" >&2
	exit 1
fi
dir=$1
commit=${2:-${GITHUB_SHA:?$prog: pass COMMIT or set GITHUB_SHA}}
repo=${GITHUB_REPOSITORY:?$prog: set GITHUB_REPOSITORY (owner/name)}
workflow=${RECONCILE_WORKFLOW:-reconcile.yml}

pr=$(gh api "repos/$repo/commits/$commit/pulls" --jq '.[0].number // empty')
if [[ -z $pr ]]; then
	echo "$prog: $commit came from no pull request; no reviewed plan (release.sh plans afresh)" >&2
	exit 0
fi
head=$(gh api "repos/$repo/pulls/$pr" --jq .head.sha)
run=$(gh run list --repo "$repo" --workflow "$workflow" --commit "$head" --status success --limit 1 \
	--json databaseId --jq '.[0].databaseId // empty')
if [[ -z $run ]]; then
	echo "$prog: no successful $workflow run for #$pr at $head; no reviewed plan (release.sh plans afresh)" >&2
	exit 0
fi
mkdir -p "$dir"
gh run download "$run" --repo "$repo" --name "reconcile-plan-pr-$pr" --dir "$dir"
if [[ ! -f $dir/plan.json ]]; then
	echo "$prog: run $run's artifact reconcile-plan-pr-$pr has no plan.json" >&2
	exit 1
fi
echo "$prog: $dir/plan.json is the plan reviewed in #$pr (run $run of $workflow, head $head)" >&2
