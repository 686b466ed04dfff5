# gatewatch container image: `docker build -t gatewatch .` (or podman/buildah).
# Build stage: the release binary (stripped, see Cargo.toml) and the free GeoIP
# databases, fetched from the npm registry at build time. Mount another copy at
# /usr/share/gatewatch/geoip to pin or refresh them without a rebuild.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --locked --release --bin gatewatch \
 && install -m 0755 target/release/gatewatch /usr/local/bin/gatewatch \
 && gatewatch geoip update --dir /geoip \
 && rm -rf target

# Runtime: distroless (glibc, CA certificates, no shell), as its unprivileged `nonroot` user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/gatewatch /usr/local/bin/gatewatch
COPY --from=build /geoip /usr/share/gatewatch/geoip
# State (a SQLite store, the scrub key file when GATEWATCH_SCRUB__KEY is not set) lives in the
# nonroot user's own home, the one directory of the image it can write; mount a volume there.
ENV GATEWATCH_GEOIP__DIR=/usr/share/gatewatch/geoip \
    GATEWATCH_SCRUB__KEY_FILE=/home/nonroot/scrub.key \
    GATEWATCH_DB=sqlite:///home/nonroot/gatewatch.db
USER 65532:65532
WORKDIR /home/nonroot
EXPOSE 8080
# No curl in the image: the binary probes its own readiness endpoint (the store answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/gatewatch", "healthcheck", "http://127.0.0.1:8080/readyz"]
# Ingest, detection and the API. Give it a source: GATEWATCH_KINESIS='[{stream="NAME"}]', or
# arguments that replace this CMD (`run --listen 0.0.0.0:8080 --kinesis-stream NAME`);
# without one it exits, saying so. Give it the
# store with GATEWATCH_DB (PostgreSQL for several workers), and the scrub key with
# GATEWATCH_SCRUB__KEY (the same on every worker).
ENTRYPOINT ["/usr/local/bin/gatewatch"]
CMD ["run", "--listen", "0.0.0.0:8080"]
