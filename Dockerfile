# digigap: one binary, SQLite by default (CGO), PostgreSQL when DIGIGAP_DB is a postgres:// URL.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X digigap/cli.Version=${VERSION}" -o /out/digigap .

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin digigap \
 && mkdir -p /data && chown digigap:digigap /data
COPY --from=build /out/digigap /usr/local/bin/digigap
USER digigap
WORKDIR /data
VOLUME ["/data"]
ENV DIGIGAP_ADDR=:8080 \
    DIGIGAP_DB=/data/digigap.db \
    DIGIGAP_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["digigap", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["digigap"]
CMD ["serve"]
