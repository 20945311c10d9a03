# filegen: build, test, benchmark, lint, install.
GO       ?= go
BIN      ?= bin/filegen
PREFIX   ?= /usr/local
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.7.0

.PHONY: all build test test-deps test-faults test-samba bench lint install clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/filegen

# test runs every test, with the race detector, after installing what the
# tests need. It must run as root: tests mount file systems and start
# directory servers.
test: test-deps
	$(GO) vet ./...
	$(GO) test -race -timeout 30m ./...
	scripts/samba-test

# test-faults runs the kill, power-loss, full-disk and bad-input tests
# (part of test too) and fuzzes the chunk decoder and the profile parser.
test-faults: test-deps
	$(GO) test -race -timeout 30m -run 'TestFaults|TestKill' -v ./cmd/filegen/
	$(GO) test -run '^$$' -fuzz FuzzDecodeChunk -fuzztime 60s ./planner/
	$(GO) test -run '^$$' -fuzz FuzzParseProfile -fuzztime 60s ./planner/

# test-samba runs only the tests against a Samba AD domain controller.
test-samba:
	scripts/samba-test

test-deps:
	@test "$$(id -u)" = 0 || { echo "make test: run as root (tests mount tmpfs and start servers)" >&2; exit 1; }
	@command -v file >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq file; }
	scripts/ldap-deps
	scripts/samba-deps

# bench compares filegen with a baseline that makes the same system calls
# per file, alternating them on fresh ext4 images, at 1 and 2 threads and
# filegen's default; times what each call of a file costs; then plans and
# runs 1, 2 and 10 million files and reports planning rate, plan size,
# resume start and peak memory. The 10-million-file run needs about 60
# GiB free under /tmp. Run as root.
bench: build
	$(GO) build -o bin/baseline ./bench/baseline
	$(GO) build -o bin/driver ./bench/driver
	$(GO) test -run '^$$' -bench . -benchmem ./planner/...
	$(GO) test -run '^$$' -bench 'Commit|PlanStages|Export' -benchmem ./engine/
	$(GO) test -run '^$$' -bench 'Execute|Checkpoint' -benchtime 3x ./engine/
	bin/driver -mode compare -files 200000 -rounds 3 -threads 1,2,0 -peer -filegen $(BIN)
	bin/driver -mode calls -files 200000 -rounds 3 -threads 0
	bin/driver -mode scale -files 1000000,2000000,10000000 -block 2048 -inode-size 512 -filegen $(BIN)

lint:
	test -z "$$(gofmt -l .)" || { gofmt -l . >&2; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

install:
	$(GO) build -o $(DESTDIR)$(PREFIX)/bin/filegen ./cmd/filegen

clean:
	rm -rf bin
