# walt-swift: one binary, five names. See README.md and docs/.
PREFIX  ?= /usr/local
DESTDIR ?=
SWIFT   ?= swift
# `make install CONFIG=debug` installs the debug build (used by the tests); releases are
# built with the Swift runtime linked in, so they run on hosts without a toolchain.
CONFIG  ?= release
# Start time is what a `walt` command costs (docs/architecture.md, "Start-up"), so a release
# also links libstdc++ and libgcc's unwinder in (a directory holding only libstdc++'s archive
# makes `-lstdc++` pick it), exports no symbols (the dynamic loader's lookups and the
# runtime's dladdr scan 16,000 of them otherwise) and searches no library next to the binary.
# It links with the toolchain's lld, which packs the 48,000 relative relocations of the
# position-independent binary (RELR: a 10 KB bitmap instead of a 1.1 MB table) and puts the
# functions the client runs first (HOT_FUNCTIONS, from `make hot-functions`), so that a
# command faults in fewer pages of code.
#
# A release build also links the same objects a second time without position independence,
# into .build/client/walt, for `make install-client` (machines that only run the client): there the
# loader has no 48,000 pointers to rewrite, which is a quarter of a `walt` command's time.
# Every install that can run the root daemon (`make install`, `make install-server`) keeps
# the position-independent link and its address-space randomisation (docs/operations.md).
STATIC_CXX_DIR := $(CURDIR)/.build/static-libstdc++
HOT_FUNCTIONS := $(CURDIR)/Scripts/release/hot-functions.txt
RELEASE_FLAGS := -c release --static-swift-stdlib --disable-local-rpath -Xswiftc -L$(STATIC_CXX_DIR) \
                 -Xswiftc -use-ld=lld -Xswiftc -Xclang-linker -Xswiftc -static-libgcc \
                 -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs \
                 -Xlinker --symbol-ordering-file=$(HOT_FUNCTIONS) -Xlinker --no-warn-symbol-ordering
BUILD_FLAGS := $(if $(filter release,$(CONFIG)),$(RELEASE_FLAGS),-c debug)
CLIENT_DIR  := $(CURDIR)/.build/client
BINDIR  := $(DESTDIR)$(PREFIX)/bin
ALIASES := walt-server-daemon walt-dhcp-event walt-server-lldpd walt-net-config walt-autocomplete-helper
# The official Python client 10.0: the wire witness in tests, the baseline in benchmarks.
PY_CLIENT_VENV := .venv-walt-client

.PHONY: demo demo-stop all build install install-client uninstall install-server test test-unit test-e2e test-install \
        test-install-server check-client-path test-release bench bench-setup python-client hot-functions clean

all: build

# In release, the client link first (only the link differs, so switching back and forth
# relinks and compiles nothing), then the position-independent one, left in place.
build: $(STATIC_CXX_DIR)/libstdc++.a
ifeq ($(CONFIG),release)
	$(SWIFT) build $(RELEASE_FLAGS) -Xlinker -no-pie
	mkdir -p "$(CLIENT_DIR)"
	cp "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt" "$(CLIENT_DIR)/walt"
endif
	$(SWIFT) build $(BUILD_FLAGS)

$(STATIC_CXX_DIR)/libstdc++.a:
	mkdir -p "$(STATIC_CXX_DIR)"
	@archive=$$(clang -print-file-name=libstdc++.a); test -f "$$archive" || \
		{ echo "libstdc++.a not found (install libstdc++-12-dev)"; exit 1; }; ln -sfn "$$archive" "$@"

install: build
	install -d "$(BINDIR)"
	install -m 0755 "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/walt" "$(BINDIR)/walt"
	for name in $(ALIASES); do ln -sfn walt "$(BINDIR)/$$name"; done

# Only the client's names, from the client link (the debug build with CONFIG=debug).
install-client: build
	install -d "$(BINDIR)"
	install -m 0755 "$(if $(filter release,$(CONFIG)),$(CLIENT_DIR),$$($(SWIFT) build -c debug --show-bin-path))/walt" \
		"$(BINDIR)/walt"
	ln -sfn walt "$(BINDIR)/walt-autocomplete-helper"

uninstall:
	rm -f "$(BINDIR)/walt" $(addprefix "$(BINDIR)/,$(addsuffix ",$(ALIASES)))

# A WalT server on this machine (Debian bookworm, as root): packages, binary, systemd units,
# server.conf, AppArmor, then starts it. Flags of Scripts/install.sh, for instance
# INSTALL_SERVER_FLAGS="--walt-net-ip 192.168.183.1/24 --raw-device eth1" (docs/install.md).
INSTALL_SERVER_FLAGS ?=
install-server: build
	Scripts/install.sh --binary "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/walt" $(INSTALL_SERVER_FLAGS)

# Everything: unit, store, wire and end-to-end layers, the install layout, the client path.
test: python-client
	$(SWIFT) build --build-tests
	WALT_BIN="$$($(SWIFT) build --show-bin-path)/walt" WALT_PYTHON_CLIENT="$(CURDIR)/$(PY_CLIENT_VENV)/bin/walt" \
		$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory test-install test-install-server check-client-path test-release

test-unit:
	$(SWIFT) test --skip WaltEndToEndTests

test-e2e: python-client
	$(SWIFT) build --build-tests
	WALT_BIN="$$($(SWIFT) build --show-bin-path)/walt" WALT_PYTHON_CLIENT="$(CURDIR)/$(PY_CLIENT_VENV)/bin/walt" \
		$(SWIFT) test --skip-build --filter WaltEndToEndTests

test-install:
	Scripts/test-install.sh

# WALT_BIN (when built) also checks that walt-net-config reads the server.conf it writes.
test-install-server:
	WALT_BIN="$$($(SWIFT) build --show-bin-path)/walt" Scripts/test-install-server.sh

check-client-path:
	Scripts/check-client-path.sh "$$($(SWIFT) build --show-bin-path)/walt"

# The binary `make` ships (the tests above use the debug build): its link, and a daemon and
# client round trip with it. The release build takes about 5 minutes from scratch.
test-release:
	$(MAKE) --no-print-directory build CONFIG=release
	Scripts/test-release.sh "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt" "$(CLIENT_DIR)/walt"

bench: build
	$(SWIFT) build $(RELEASE_FLAGS) --product walt-wire-bench
	python3 Scripts/bench/startup.py --walt "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt" \
		--python-walt "$(PY_CLIENT_VENV)/bin/walt"
	python3 Scripts/bench/wire.py "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt-wire-bench"
	$(SWIFT) build $(RELEASE_FLAGS) --product walt-daemon-bench
	"$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt-daemon-bench" \
		--walt "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt"
	python3 Scripts/bench/dhcp.py --walt "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt"
	python3 Scripts/bench/boot.py --walt "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt"
	python3 Scripts/bench/images.py --walt "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt"
	python3 Scripts/bench/client.py --walt "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt" \
		--client-walt "$(CLIENT_DIR)/walt" --python-walt "$(PY_CLIENT_VENV)/bin/walt"

# A server with its real services and three simulated nodes in network namespaces (root).
demo: python-client
	Scripts/install-deps.sh
	$(SWIFT) build --product walt
	Scripts/demo.sh up "$$($(SWIFT) build --show-bin-path)/walt"

demo-stop:
	Scripts/demo.sh down

bench-setup: python-client

# Regenerates HOT_FUNCTIONS: the functions of the release binary that common client commands
# and the DHCP hook run, under valgrind, against a development daemon (docs/operations.md).
# A stale list only costs speed: the linker ignores names that no longer exist.
hot-functions: build
	python3 Scripts/bench/hot_functions.py --walt "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/walt" \
		--output $(HOT_FUNCTIONS)

python-client: $(PY_CLIENT_VENV)/bin/walt

$(PY_CLIENT_VENV)/bin/walt:
	python3 -m venv $(PY_CLIENT_VENV)
	$(PY_CLIENT_VENV)/bin/pip install --quiet walt-client==10.0 plumbum==1.8.2

clean:
	rm -rf .build bench-out $(PY_CLIENT_VENV)
