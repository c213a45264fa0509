# syntax=docker/dockerfile:1
# The asgsim image that the cluster examples name (README, "Beyond one machine"):
#
#   docker build -t asgsim \
#     --build-arg ASGSIM_GIT_COMMIT="$(git log -1 --abbrev=12 --format='%h %cs')" .
#   docker run --rm -v "$PWD:/home/nonroot" asgsim run scenarios/seed-workflow.toml
#
# Two stages: the first has the Rust toolchain and builds; the image holds the binary alone on
# distroless/cc (glibc and libgcc, which the binary links; no shell, no package manager), run
# as the unprivileged user nonroot (uid 65532). The binary needs nothing else: the plot font
# is compiled in and nothing is fetched at run time.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-bookworm AS build
# `asgsim --version` names this commit: .git is not sent to the build (.dockerignore).
ARG ASGSIM_GIT_COMMIT=""
ENV ASGSIM_GIT_COMMIT=${ASGSIM_GIT_COMMIT}
WORKDIR /src
COPY . .
# The crate registry and the target folder are build caches kept between builds, so only what
# changed is rebuilt; the binary is copied out of the cache in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin asgsim \
    && cp target/release/asgsim /usr/local/bin/asgsim \
    && /usr/local/bin/asgsim --version

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/asgsim /usr/local/bin/asgsim
# Relative paths (scenarios, output/) resolve here unless the job sets its own folder.
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/local/bin/asgsim"]
CMD ["--help"]
