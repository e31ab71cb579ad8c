# Troupe — see README.md. `make demo` and `make test` work on a fresh machine.
SWIFT ?= swift
TROUPE := .build/release/troupe

.PHONY: all deps build debug test demo lab lab-stop bench fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

# Static Swift runtime: the controller and each worker process start ~40 % faster
# (no runtime symbol binding at exec).
build: deps
	$(SWIFT) build -c release --product troupe --static-swift-stdlib

debug: deps
	$(SWIFT) build

test: deps
	@bash scripts/run-tests.sh

demo: build
	$(TROUPE) playbook -i inventory/ examples/site.yml

lab: deps build
	@bash scripts/lab.sh start

lab-stop:
	@bash scripts/lab.sh stop

bench: build
	@bash benchmarks/run.sh

# libFuzzer over the Jinja, YAML, INI, k=v, vault and JSON parsers (FUZZ_SECONDS per target).
fuzz: deps
	@bash scripts/fuzz.sh

clean:
	rm -rf .build .build-fuzz
