# syntax=docker/dockerfile:1
# The platform's one image, two roles: the gateway (default command) and the job worker (see compose.yaml and
# deploy/k8s/). Node 24 LTS on Debian bookworm; runs as the unprivileged `node` user (uid 1000).
# Checked in CI without a container engine: deploy/static-checks.test.ts (dockerfilelint and the rules below).

# ---- build: production dependencies, with the toolchain isolated-vm's native addon needs (node-gyp) ----
FROM node:24-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev: no test tools in the image; tsx (the TypeScript loader the processes run under) is a dependency
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: no compiler, no package manager cache, read-only application files ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/gov-data-platform
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY errors ./errors
COPY telemetry ./telemetry
COPY crypto ./crypto
COPY policies ./policies
COPY store ./store
COPY data ./data
COPY sandbox ./sandbox
COPY catalog-open ./catalog-open
COPY gateway ./gateway
COPY sdk ./sdk
COPY examples ./examples
# DATA_DIR holds the audit checkpoint key and, on the embedded database only, the database itself: the one writable path
RUN mkdir -p /var/lib/gov-data-platform \
 && chown node:node /var/lib/gov-data-platform
USER node
EXPOSE 8080 9464
# liveness of the gateway (it answers /healthz as soon as it listens, so no start period: dockerfilelint 1.8 also
# misreads --start-period); the worker's compose service and k8s probe check its METRICS_PORT listener instead
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm) so SIGTERM reaches the server and it drains (gateway/main.ts)
CMD ["node", "--import", "tsx", "gateway/main.ts"]
