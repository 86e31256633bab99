# reconcile as a container image: build with the official Swift image, run on a slim Debian with libpq5.
#
#   docker build -t reconcile .
#   docker run --rm -e DATABASE_URL -v "$PWD:/app" -w /app reconcile --plan
#
# The build stage runs scripts/package, the same script CI runs and checks (scripts/check-package), and the
# runtime stage installs the .deb it made with apt, which pulls in libpq5. With .git in the build context
# (the default for `docker build .` in a clone), the image's `reconcile --version` names the commit; without
# it (or in a `git worktree`, whose .git is a pointer file), pass --build-arg RECONCILE_COMMIT=$(git rev-parse HEAD)
# or it says "unknown commit".
# The Swift image's Debian 12 matches the runtime's, so the binary's glibc floor (2.35) is met.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		libpq-dev pkg-config dpkg-dev binutils git \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG RECONCILE_COMMIT=
RUN RECONCILE_COMMIT="$RECONCILE_COMMIT" scripts/package --out /dist

FROM ${RUNTIME_IMAGE}
COPY --from=build /dist/reconcile_*.deb /tmp/
RUN apt-get update \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/reconcile_*.deb \
	&& rm -rf /var/lib/apt/lists/* /tmp/reconcile_*.deb \
	&& useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin reconcile
# Unprivileged. To write files (--out plan.json) into a mounted folder, run as its owner:
# docker run --user "$(id -u):$(id -g)" ...
USER reconcile
WORKDIR /app
ENTRYPOINT ["reconcile"]
