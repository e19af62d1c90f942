# Multi-stage build of the probity binary with the UI embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-X probity.Version=docker" -o /out/probity ./cmd/probity

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 probity
COPY --from=build /out/probity /usr/local/bin/probity
COPY seeds/demo /seeds/demo
USER probity
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/probity"]
CMD ["serve"]
