# Tributary image: tributary-fe, tributary-cn and kafka-mock, with a mysql client for health checks.
# docker build -t tributary . ; docker compose up --detach --wait (docker-compose.yml, docs/lab.md)

# --- build: Swift 6 with the system libraries the README's `make run` installs --------------------------------------
FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      pkg-config librdkafka-dev libssl-dev libsqlite3-dev libcurl4-openssl-dev libavro-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.resolved stays out of git (this project's rule), so the image resolves each dependency's newest release
# allowed by Package.swift's `from:` requirements, as a fresh clone does.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# The README's release build (`make run`), with the Swift runtime linked in so the runtime image needs no toolchain.
RUN swift build -c release --static-swift-stdlib \
 && mkdir -p /out \
 && cp .build/release/tributary-fe .build/release/tributary-cn .build/release/kafka-mock /out/

# --- runtime: the shared libraries only --------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      librdkafka1 libssl3 libsqlite3-0 libcurl4 libavro23 mariadb-client curl ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /opt/tributary --shell /usr/sbin/nologin tributary \
 && mkdir -p /opt/tributary/meta /opt/tributary/storage /opt/starrocks/fe/conf /opt/starrocks/cn/conf \
 && chown -R tributary /opt/tributary /opt/starrocks
COPY --from=build /out/ /usr/local/bin/
# fe.conf at StarRocks' path, so the seed's `docker compose exec starrocks-fe cat /opt/starrocks/fe/conf/fe.conf` works.
# Owned by tributary: fe-entrypoint.sh appends FE_CONF_EXTRA to fe.conf as that user.
COPY --chown=tributary docker/fe.conf /opt/starrocks/fe/conf/fe.conf
COPY --chown=tributary docker/cn.conf /opt/starrocks/cn/conf/cn.conf
COPY docker/fe-entrypoint.sh docker/cn-entrypoint.sh /usr/local/bin/
USER tributary
WORKDIR /opt/tributary
EXPOSE 9030 8030 9050
HEALTHCHECK --interval=5s --timeout=3s --retries=30 CMD curl -fsS http://127.0.0.1:8030/api/health/ready || exit 1
ENTRYPOINT ["/usr/local/bin/fe-entrypoint.sh"]
