# tarkin's CLI in an image: train, pack, check, serve (the Vector sidecar), ... as `tarkin <command>`.
#
#   docker build -t tarkin:0.1.0 .
#   docker run --rm --init -v "$PWD:/data" -w /data tarkin:0.1.0 train auth.log -o model.json
#
# (--init: node, as the container's first process, would otherwise ignore Ctrl-C; tarkin serve
# handles SIGTERM and SIGINT itself.)
#
# The build stage builds the package from this repository and packs it as npm publishes it; the
# runtime stage installs that tarball with its production dependencies only, as a user would.

FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY README.md asconfig.json tsconfig.json ./
COPY scripts/build-cli.mjs scripts/gen-layouts.mjs scripts/tees-to-sets.mjs scripts/
COPY assembly assembly
COPY host host
COPY models models
COPY lexicon lexicon
RUN npm run build && mkdir /pkg && npm pack --pack-destination /pkg && mv /pkg/tarkin-*.tgz /pkg/tarkin.tgz

FROM node:20-bookworm-slim
COPY --from=build /pkg/tarkin.tgz /tmp/tarkin.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/tarkin.tgz && rm /tmp/tarkin.tgz && npm cache clean --force
# The official image's unprivileged user, node, by number: Kubernetes' runAsNonRoot checks it.
USER 1000:1000
WORKDIR /home/node
ENTRYPOINT ["tarkin"]
CMD ["--help"]
