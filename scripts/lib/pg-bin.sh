# shellcheck shell=bash
# Finds the PostgreSQL server binaries (initdb, pg_ctl, postgres, psql).
# Shared by scripts/throwaway-postgres, scripts/demo and .ci/run so they all
# agree on which server version they use. This file is sourced, so it sets no
# shell options and only defines functions; everything it prints for humans
# goes to stderr because callers capture stdout.
#
# Lookup order:
#   1. $PG_BINDIR, so another server version can be tested on purpose;
#   2. the newest /usr/lib/postgresql/*/bin (Debian/Ubuntu keep several
#      versions side by side there and none of them on PATH);
#   3. `pg_config --bindir` (other distributions, Homebrew);
#   4. the directory of an `initdb` found on PATH.
# A directory only counts if it has initdb, pg_ctl and postgres: libpq-dev and
# postgresql-client create /usr/lib/postgresql/N/bin without a server in it.

_pg_is_server_bindir() {
	[[ -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]
}

# Prints the server bin dir. Returns 1 if none is found, 2 if $PG_BINDIR is
# set but unusable (then nothing else is tried: the caller asked for it).
pg_find_bindir() {
	local d
	if [[ -n ${PG_BINDIR-} ]]; then
		if _pg_is_server_bindir "$PG_BINDIR"; then
			printf '%s\n' "$PG_BINDIR"
			return 0
		fi
		echo "pg-bin: PG_BINDIR=$PG_BINDIR does not contain initdb, pg_ctl and postgres" >&2
		return 2
	fi
	# `if` rather than `&&` inside the loop: with pipefail a false last test
	# would make the whole substitution fail.
	d=$(for d in /usr/lib/postgresql/*/bin; do
		if _pg_is_server_bindir "$d"; then printf '%s\n' "$d"; fi
	done | sort -V | tail -n 1)
	if [[ -z $d ]] && command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null) || d=
		_pg_is_server_bindir "$d" || d=
	fi
	if [[ -z $d ]] && command -v initdb >/dev/null 2>&1; then
		d=$(dirname "$(command -v initdb)")
		_pg_is_server_bindir "$d" || d=
	fi
	[[ -n $d ]] || return 1
	printf '%s\n' "$d"
}

# Like pg_find_bindir, but when nothing is found and we are root on a Debian-like
# system, installs the distribution's PostgreSQL server and looks again.
# Otherwise fails with a message saying what to install.
pg_bindir() {
	local rc=0
	pg_find_bindir || rc=$?
	((rc == 1)) || return "$rc"
	if ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
		echo "pg-bin: no PostgreSQL server found; installing the 'postgresql' package with apt-get" >&2
		if ! { apt-get update -qq >&2 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; }; then
			echo "pg-bin: installing PostgreSQL with apt-get failed" >&2
			return 1
		fi
		pg_find_bindir && return 0
		echo "pg-bin: installed PostgreSQL, but still found no initdb/pg_ctl/postgres" >&2
		return 1
	fi
	cat >&2 <<-'MSG'
		pg-bin: no PostgreSQL server binaries (initdb, pg_ctl, postgres) found.
		  Install a PostgreSQL server, for example:
		    Debian/Ubuntu: sudo apt-get install postgresql
		    Fedora:        sudo dnf install postgresql-server
		    macOS:         brew install postgresql
		  or point PG_BINDIR at a directory containing initdb, pg_ctl and postgres.
	MSG
	return 1
}
