# One recipe for every process of the shop; docker-compose.yml builds it once per app:
#   docker build --build-arg APP=price-cache -t rocketmq-shop/price-cache .
# APP is a folder of apps/ (broker, registration, notification, order, inventory, price-cache).

FROM node:20-bookworm-slim AS build
WORKDIR /repo
# The whole workspace: npm workspaces need every package.json, and nx builds the app's libs with it.
COPY . .
RUN npm ci
ARG APP
RUN test -n "$APP" || { echo 'build with --build-arg APP=<folder of apps/>' >&2; exit 1; }
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run "$APP:build" --output-style=static
# Only what runs goes to the final image.
RUN npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /repo
COPY --from=build --chown=node:node /repo /repo
# The broker's commit log lives here (a volume in compose); owned by the unprivileged user it runs as.
RUN mkdir -p /data && chown node:node /data
USER node
ARG APP
ENV APP=${APP}
# exec replaces the shell, so SIGTERM from `docker stop` reaches it (graceful drain).
CMD ["sh", "-c", "exec node apps/$APP/dist/src/main.js"]
