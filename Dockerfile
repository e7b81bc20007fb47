# budgetdoc in a container: built in one stage, run as a non-root user in a small one. The
# fonts are embedded in the binary; their licences are copied beside it.
#   docker build -t budgetdoc .
#   docker run --rm -v "$PWD:/work" budgetdoc build examples/nx-hrss-2024-final -o out.pdf
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --create-home --uid 10001 budgetdoc
COPY --from=build /src/target/release/budgetdoc /usr/local/bin/budgetdoc
COPY --from=build /src/fonts /usr/local/share/budgetdoc/fonts
USER budgetdoc
WORKDIR /work
ENTRYPOINT ["budgetdoc"]
