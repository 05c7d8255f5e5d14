# fluent-bit-haproxy
#   make            build dist/out_haproxy.so and dist/haproxy-decode
#   make run        decode build/sample/haproxy.log through Fluent Bit (or haproxy-decode)
#   make test       every test (race detector on): unit, fuzz seeds, C host, real HAProxy, real search nodes
#   make bench      the benchmarks quoted in the README (bench-host: the plugin as a process;
#                   bench-es: delivery to both real nodes; bench-report: haproxy-decode report
#                   against halog)
#   make fuzz       a short fuzzing session of every fuzz target (FUZZTIME, 60s each)
#   make pgo        remake the build's profiles (plugin/default.pgo, cmd/haproxy-decode/default.pgo)
#   make report-picture   docs/report.png, the README's picture of the report
#   make es / es-stop   a real search node (OpenSearch) on 127.0.0.1 for humans

GO       ?= go
DIST     := dist
SO       := $(DIST)/out_haproxy.so
CLI      := $(DIST)/haproxy-decode
FLBHOST  := $(DIST)/flbhost
ES_PORT  ?= 19200
ES_DIR   := test/elasticsearch
ES_URL   := http://127.0.0.1:$(ES_PORT)
ES7_PORT ?= 19210
ES7_URL  := http://127.0.0.1:$(ES7_PORT)
# The tests that deliver to a search node, run a second time against the
# real Elasticsearch 7.10.2 node.
DELIVERY_PKGS := ./plugin/internal/es/ ./test/e2e/
DELIVERY_RUN  := ^(TestReal|TestES)
GOFILES  := $(shell find . -name '*.go' -not -path './dist/*')

.PHONY: all run test bench bench-host bench-es bench-report report-picture pgo fuzz es es-stop clean

all: $(SO) $(CLI)

$(SO): $(GOFILES) go.mod go.sum
	@mkdir -p $(DIST)
	CGO_ENABLED=1 $(GO) build -trimpath -buildmode=c-shared -o $@ ./plugin
	@rm -f $(DIST)/out_haproxy.h

$(CLI): $(GOFILES) go.mod go.sum
	@mkdir -p $(DIST)
	$(GO) build -trimpath -o $@ ./cmd/haproxy-decode

$(FLBHOST): test/flbhost/flbhost.c
	@mkdir -p $(DIST)
	gcc -O1 -g -Wall -o $@ $< -ldl -lpthread

run: all
	@if command -v fluent-bit >/dev/null 2>&1; then \
		HAPROXY_LOG=$(CURDIR)/build/sample/haproxy.log timeout -s INT 60 \
			fluent-bit -e $(CURDIR)/$(SO) -c build/fluent-bit.conf; \
	else \
		echo "fluent-bit is not on PATH: showing the same decoding with $(CLI) (install Fluent Bit to run the plugin itself)"; \
		$(CLI) -tz UTC -request-headers Host,User-Agent -response-headers Content-Type,Server build/sample/haproxy.log; \
	fi

# Every test, once, with the race detector: unit tests, fuzz seeds, then the
# integration tests (the C host driving the .so like Fluent Bit, a real
# HAProxy, a real search node started here on 127.0.0.1 and stopped after).
# The delivery tests run twice: against OpenSearch 2.19 (with everything
# else) and against a real Elasticsearch 7.10.2. Without the nodes (or
# haproxy, or gcc) those tests skip, unless REQUIRE_INTEGRATION=1, where they
# fail.
# Tests that count allocations skip under -race: run once more without it.
ALLOC_RUN := MemoryFlat|AllocsFlat

test: $(SO) $(FLBHOST)
	$(GO) vet ./...
	@trap '$(ES_DIR)/stop.sh --port $(ES_PORT) >/dev/null 2>&1; $(ES_DIR)/stop.sh --port $(ES7_PORT) >/dev/null 2>&1; true' EXIT; \
	es_url=; es7_url=; \
	$(ES_DIR)/start.sh --port $(ES_PORT) >/dev/null && es_url=$(ES_URL); \
	$(ES_DIR)/start.sh --dist elasticsearch --port $(ES7_PORT) >/dev/null && es7_url=$(ES7_URL); \
	if [ -z "$$es_url" ] || [ -z "$$es7_url" ]; then \
		if [ "$$REQUIRE_INTEGRATION" = 1 ]; then echo "a search node did not start" >&2; exit 1; fi; \
		echo "a search node did not start: its tests will skip"; \
	fi; \
	export FLBHOST_SO=$(CURDIR)/$(SO) FLBHOST_BIN=$(CURDIR)/$(FLBHOST); \
	ES_TEST_URL=$$es_url $(GO) test -race -count=1 -timeout 30m ./... && \
	echo "--- the flush's allocation tests, which -race skips (it makes sync.Pool drop items)" && \
	$(GO) test -count=1 -run '$(ALLOC_RUN)' ./plugin/internal/output/ && \
	echo "--- the delivery tests again, against Elasticsearch 7.10.2 ($$es7_url)" && \
	ES_TEST_URL=$$es7_url $(GO) test -race -count=1 -timeout 30m -run '$(DELIVERY_RUN)' $(DELIVERY_PKGS)

# One core (-cpu 1), as the targets are stated: per line (decode, decode+JSON,
# the grok regexp baseline) and per record of a 1,000-record chunk (ours and
# fluent-bit-go's decoder + encoding/json).
#
# The .so is built with profile-guided optimisation from plugin/default.pgo
# (go build picks it up for the plugin's main package); the benchmarks use the
# same profile so that they measure what is shipped. `make pgo` remakes it
# from the flush benchmark and the per-line decode+JSON benchmark (merged:
# the flush's profile alone made the per-line path slower) after the hot
# path changes.
PGO := $(CURDIR)/plugin/default.pgo
# haproxy-decode is built likewise from cmd/haproxy-decode/default.pgo: the
# whole report over the bench input (BenchmarkReport; the input's making
# left out of the profile), ~5% less CPU than without (test/bench/report.sh).
CLI_PGO := $(CURDIR)/cmd/haproxy-decode/default.pgo

bench:
	$(GO) test -pgo=$(PGO) -run '^$$' -bench . -benchmem -count=1 -cpu 1 ./decode/ ./decode/haproxycfg/ ./encode/ ./plugin/internal/...

pgo:
	@mkdir -p $(DIST)
	$(GO) test -pgo=off -run '^$$' -bench 'Flush/' -cpu 1 -benchtime 5s -count=1 \
		-cpuprofile $(CURDIR)/$(DIST)/flush.pprof -o $(DIST)/output.test ./plugin/internal/output/
	$(GO) test -pgo=off -run '^$$' -bench 'DecodeEncode' -cpu 1 -benchtime 3s -count=1 \
		-cpuprofile $(CURDIR)/$(DIST)/line.pprof -o $(DIST)/encode.test ./encode/
	$(GO) tool pprof -proto $(DIST)/flush.pprof $(DIST)/line.pprof > $(PGO)
	$(GO) test -pgo=off -run '^$$' -bench '^BenchmarkReport$$' -benchtime 3s -count=1 \
		-cpuprofile $(CURDIR)/$(DIST)/report.pprof -o $(DIST)/cli.test ./cmd/haproxy-decode/
	$(GO) tool pprof -proto -ignore='loggen|regexp|tailchunk|benchLog' $(DIST)/report.pprof > $(CLI_PGO)

# The plugin as a process, as Fluent Bit runs it (test/flbhost/benchhost): the
# C host flushes a million tail records, in Fluent Bit's 2 MB chunks, from two
# threads (workers 2) into File /dev/null, beside the same host only reading
# and copying the chunks (the floor); CPU user+sys, wall and peak RSS.
bench-host: $(SO) $(FLBHOST)
	$(GO) run ./test/flbhost/benchhost -so $(SO) -host $(FLBHOST)

# 100,000 records of the traffic mix, then of the production sample the
# issue measured with (fetched from PyPI: test/bench/sample), in Fluent
# Bit-sized chunks (2 MB), default options, delivered to each real test node
# started here, beside the same lines through a stand-in for Fluent Bit's es
# output fed by its regex parser (fluent-bit-es). Another port pair: make
# bench-es ES_PORT=... ES7_PORT=...
bench-es:
	@mkdir -p $(DIST) && $(GO) run ./test/bench/sample -o $(DIST)/huge.log
	@export ES_BENCH_SAMPLE=$(CURDIR)/$(DIST)/huge.log; \
	trap '$(ES_DIR)/stop.sh --port $(ES_PORT) >/dev/null 2>&1; $(ES_DIR)/stop.sh --port $(ES7_PORT) >/dev/null 2>&1; true' EXIT; \
	$(ES_DIR)/start.sh --port $(ES_PORT) >/dev/null && \
	$(ES_DIR)/start.sh --dist elasticsearch --port $(ES7_PORT) >/dev/null && \
	echo "--- OpenSearch 2.19.1" && \
	ES_TEST_URL=$(ES_URL) $(GO) test -run '^$$' -bench Elasticsearch -benchtime 3x -count=1 -timeout 30m ./plugin/internal/output/ && \
	echo "--- Elasticsearch 7.10.2" && \
	ES_TEST_URL=$(ES7_URL) $(GO) test -run '^$$' -bench Elasticsearch -benchtime 3x -count=1 -timeout 30m ./plugin/internal/output/

# haproxy-decode report against halog -srv on the same 1,000,000 lines
# (made from the corpus), side by side: best and median of 5 runs each.
bench-report:
	test/bench/report.sh 5

# The README's picture of haproxy-decode report -html (docs/report.png),
# taken by headless chromium.
report-picture:
	test/report-picture.sh

# A short fuzzing session over the decoder and encoder (the seed corpus always
# runs as part of `make test`).
fuzz:
	$(GO) test ./encode/ -run '^$$' -fuzz FuzzDecodeEncode -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./decode/ -run '^$$' -fuzz FuzzTraffic -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./decode/ -run '^$$' -fuzz FuzzEvent -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./decode/ -run '^$$' -fuzz FuzzLogFormat -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./encode/ -run '^$$' -fuzz FuzzLogFormatEncode -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./decode/haproxycfg/ -run '^$$' -fuzz FuzzParse -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./decode/haproxycfg/ -run '^$$' -fuzz FuzzPastedLogFormat -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./plugin/internal/chunk/ -run '^$$' -fuzz FuzzReader -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./plugin/internal/output/ -run '^$$' -fuzz FuzzFlush -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./internal/report/ -run '^$$' -fuzz FuzzReport -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./state/ -run '^$$' -fuzz FuzzStateFile -fuzztime $${FUZZTIME:-60s}
	$(GO) test ./state/ -run '^$$' -fuzz FuzzTracker -fuzztime $${FUZZTIME:-60s}

es:
	$(ES_DIR)/start.sh --port $(ES_PORT)

es-stop:
	$(ES_DIR)/stop.sh --port $(ES_PORT)

clean:
	rm -rf $(DIST)
