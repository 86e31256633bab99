# shellcheck shell=bash
# Reads the repository's Dockerfile without Docker (no engine runs where this was written), so that
# scripts/check-package can check it against what scripts/package makes, and scripts/check-package-debian
# can run its runtime stage's commands in a Debian chroot. Sourced: defines functions, sets no options.

# dockerfile_instructions FILE STAGE: the instructions of stage STAGE (0 = the first FROM), one a line,
# continuation lines joined, comments and blank lines dropped.
dockerfile_instructions() {
	awk -v want="$2" '
		/^[ \t]*#/ || /^[ \t]*$/ { next }
		{
			line = line $0
			if (line ~ /\\$/) { sub(/\\$/, " ", line); next }
			gsub(/[ \t]+/, " ", line)
			if (line ~ /^FROM /) stage++
			if (stage - 1 == want) print line
			line = ""
		}
	' "$1"
}

# dockerfile_arg_default FILE NAME: the default value of a global ARG.
dockerfile_arg_default() {
	sed -n "s/^ARG $2=//p" "$1" | head -n 1
}
