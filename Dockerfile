# syntax=docker/dockerfile:1
#
# Mediator service image. Multi-stage: `build` compiles with dev dependencies, then prunes them;
# `runtime` gets only dist/, the pruned node_modules and config/.
# deploy/host-build.sh runs the same steps on a host without a Docker engine (CI); keep them in step.
#
# Base: node 20.20.2 on Debian 12 (bookworm) slim, pinned by its multi-arch manifest-list digest.
# To move to a newer Node 20 patch, change the tag and the digest together
# in both FROM lines (`docker buildx imagetools inspect node:20.x.y-bookworm-slim` prints the digest).

FROM node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS build
WORKDIR /src
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Toolchain for native modules (better-sqlite3) when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3=3.11.2-1+b1 make=4.3-4.1 g++=4:12.2.0-3 \
 && rm -rf /var/lib/apt/lists/*
# npm 11 honours package.json "allowScripts" (npm 10 in the base image would run every
# install script); the same npm the lockfile was written with.
RUN npm install -g npm@11.19.1 && npm --version
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && test -f dist/apps/mediator-service/src/main.js \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS runtime
LABEL org.opencontainers.image.title="mediator-service" \
      org.opencontainers.image.description="Mediator service: REST, Socket.IO and Kafka" \
      org.opencontainers.image.licenses="MIT"
# PORT and METRICS_PORT stay unset: they would override server.port and monitoring.port of
# whatever config file is used (the defaults are 8080 and 9090).
ENV NODE_ENV=production
WORKDIR /app
# Application files stay owned by root (read-only for the app); only data/ is writable.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/config ./config
# The built-in `node` user (uid/gid 1000). Kubernetes runs it with another non-root uid
# (see deploy/k8s): nothing here depends on the uid but data/, which is a volume there.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
VOLUME ["/app/data"]
USER 1000:1000
EXPOSE 8080 9090
# No curl in slim images: node itself asks /health/live (process only, not dependencies).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const r=require('http').get({host:'127.0.0.1',port:process.env.PORT||8080,path:'/health/live',timeout:4000},s=>process.exit(s.statusCode===200?0:1));r.on('timeout',()=>r.destroy());r.on('error',()=>process.exit(1))"]
# Without CONFIG_FILE the app reads config/config.yaml: the embedded default (SQLite in
# /app/data, no external server), so `docker run -e JWT_SECRET=...` works alone (NODE_ENV=production
# refuses the development secret, placeholders and secrets under 32 bytes). Deployments select the full
# stack with CONFIG_FILE=config/production.yaml (compose) or the mounted ConfigMap (k8s).
# node is PID 1 directly (no npm, no shell), so SIGTERM reaches the graceful shutdown.
CMD ["node", "dist/apps/mediator-service/src/main.js"]
