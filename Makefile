# Troupe — see README.md. `make demo` and `make test` work on a fresh machine.
SWIFT ?= swift
TROUPE := .build/release/troupe

.PHONY: all deps build debug test demo lab lab-stop bench roles fuzz clean integration integration-slice

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

# ansible-core's own integration targets (scripts/integration/targets.txt) with ansible-core
# and with troupe; the sdist is fetched with pip into ~/.cache/troupe-integration.
integration: debug
	@python3 scripts/integration/run.py

# The short slice (scripts/integration/slice.txt): fails when troupe fails a target ansible-core passes.
integration-slice: debug
	@python3 scripts/integration/run.py --slice

bench: build
	@bash benchmarks/run.sh

# Public roles and example playbooks (scripts/public-roles/sources.txt) against ansible-core;
# needs their mirrors (the fetch tool) and ansible-playbook.
roles: deps
	$(SWIFT) build --product troupe
	@python3 scripts/public-roles/run.py

# libFuzzer over the Jinja, YAML, INI, k=v, vault and JSON parsers (FUZZ_SECONDS per target).
fuzz: deps
	@bash scripts/fuzz.sh

clean:
	rm -rf .build .build-fuzz
