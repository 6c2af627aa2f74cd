# Hookrelay: one image for every role (HOOKRELAY_ROLE=all|api|worker). docs/operations.md.
# Build: docker build -t hookrelay .
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds its native module when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOOKRELAY_HOST=0.0.0.0 \
    HOOKRELAY_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/docs/openapi.json ./docs/openapi.json
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8071 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HOOKRELAY_METRICS_PORT || process.env.HOOKRELAY_PORT || 8071) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/hookrelay.js"]
CMD ["serve"]
