# libews — typed C bindings for Exchange Web Services.
#
#   make            install missing Debian build dependencies, generate the bindings, build library, tools, server
#   make NO_DEPS=1  the same without calling apt-get (packagers): only checks that the packages are there
#   make check      build and run every test suite (CUnit), then again against bindings generated from each
#                   official schema set in ../shared (SKIP_OFFICIAL=1 skips that part)
#   make demo       the tour: start a local ewsd with a seeded mailbox and run every example against it
#   make generate SCHEMA_DIR=dir   regenerate generated/ from another schema set (e.g. your server's)
#   make install PREFIX=/usr/local DESTDIR=    make uninstall
#   make check SANITIZE=1          the suites under ASan/UBSan (build tree build-asan/)
#   make check-valgrind            the suites under valgrind memcheck
#
# Two-stage on purpose: the first stage installs packages and generates code, the second (a recursive make)
# sees the generated file list and pkg-config answers that only exist after the first. Within the first stage
# the package step is an order-only prerequisite of everything that needs its packages, so it always finishes
# first, whatever -j says. The core layer (which names nothing generated) compiles in the first stage, beside the
# generator; its recipes expand the pkg-config answers when they run, after the package step.

# Parallel by default: the generated serializers are many independent files (override with make -jN).
ifeq ($(MAKELEVEL),0)
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS   += -j$(shell nproc 2>/dev/null || echo 2)
endif
endif

VERSION     := 0.1.0
SOVERSION   := 0
GEN         ?= generated
# The schema set the bindings come from: what `make generate SCHEMA_DIR=...` last used (recorded in STAMP), so
# a later rebuild regenerates from the same set; wsdl/ (ours) by default. `make generate SCHEMA_DIR=wsdl` goes back.
SCHEMA_DIR  ?= $(or $(shell sed -n 's/^schema: //p' $(GEN)/STAMP 2>/dev/null),wsdl)
SANITIZE    ?=
BUILD       ?= $(if $(SANITIZE),build-asan,build)
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
SHARED_DIR  ?= ../shared
OFFICIAL_SCHEMA ?= $(SHARED_DIR)/ews-schemas/V2018_01_08
# make check also regenerates from each of these official sets and runs the suites against them
OFFICIAL_SCHEMAS ?= $(SHARED_DIR)/ews-schemas/V2018_01_08 $(SHARED_DIR)/ews-schemas/Exchange2010_SP2

CC          ?= cc
# -g1: line tables and function names (backtraces, perf, valgrind and ASan reports with file:line), not the
# variables' locations, whose tracking was a fifth of the hand-written code's compile (4-5 s of a fresh `make`'s
# CPU, README: build). `make OPT='-O2 -g'` for a debugger's full view; sanitizer builds keep -g.
OPT         ?= -O2 $(if $(SANITIZE),-g,-g1)
# ewsd's own code at -Og: half the compiler CPU of -O2 for its ~14 000 lines (3 s of a fresh `make`), and ewsd
# spends its time in SQLite, zlib and gSOAP (its CPU per exported, paged and synced item measured the same at -Og,
# -O1 and -O2, README: build). SERVER_OPT= compiles it with OPT alone.
SERVER_OPT  ?= $(if $(SANITIZE),,-Og)
comma       := ,
SAN_FLAGS   := $(if $(SANITIZE),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
GSOAP_CFLAGS = $(shell pkg-config --cflags gsoapssl 2>/dev/null)
GSOAP_LIBS   = $(shell pkg-config --libs gsoapssl 2>/dev/null)
# The layers (see README "Layout"): runtime/core (client, transport, auth ...) at the bottom, then the generated
# bindings (generated/ and their hand-written part runtime/binding), then runtime/workflows (pager, sync,
# export ...); runtime/src holds library files not yet sorted in. Each layer compiles with only the include
# paths it may use (CORE_INCLUDES, BIND_INCLUDES, INCLUDES); `make check-layers` checks the objects.
INCLUDES    := -Iruntime/include -Iruntime/core -Iruntime/workflows -Iruntime/src -I$(GEN)
CORE_INCLUDES := -Iruntime/include -Iruntime/core
BIND_INCLUDES := -Iruntime/include -I$(GEN)
# The ews-* tools' shared support (examples/tools/cli, not part of libews) and ewsd's modules (NTLM server side)
CLI_INCLUDES := -Iexamples/tools/cli
WARN        := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# Generated code gets its own, quieter flags. -Og: a third less compiler CPU than -O1 on the serializer parts,
# and the serializers it makes decode as fast (bench/regen.sh; measured in README's build table).
GEN_OPT     ?= -Og
# WITH_NOIDREF: no SOAP-encoding id/href code in the serializers (runtime/binding/ews_noidref.c says why).
GEN_CFLAGS   = $(GEN_OPT) -g0 -fPIC -w -DWITH_NOIDREF $(SAN_FLAGS) $(GSOAP_CFLAGS) -I$(GEN) -Iruntime/include
CFLAGS_ALL   = -std=gnu11 $(OPT) -fPIC $(WARN) $(SAN_FLAGS) $(GSOAP_CFLAGS) $(INCLUDES) $(CFLAGS)
CFLAGS_CORE  = -std=gnu11 $(OPT) -fPIC $(WARN) $(SAN_FLAGS) $(GSOAP_CFLAGS) $(CORE_INCLUDES) $(CFLAGS)
CFLAGS_BIND  = -std=gnu11 $(OPT) -fPIC $(WARN) $(SAN_FLAGS) $(GSOAP_CFLAGS) $(BIND_INCLUDES) $(CFLAGS)
# -fsanitize links with --no-as-needed, which makes libgsoapssl's callbacks (namespaces, soap_getfault ...) required
# even by programs that never use gSOAP; restore Debian's default --as-needed for the libraries.
# -u soap_markelement: gSOAP's library calls it back, and with the serializers built WITH_NOIDREF the archive has
# it only in runtime/binding/ews_noidref.c, which nothing else pulls in (a program linked with libews.a).
LDLIBS_ALL   = $(if $(SANITIZE),-Wl$(comma)--as-needed) -Wl,-u,soap_markelement $(GSOAP_LIBS) -lssl -lcrypto -lz -lsqlite3 -lpthread -lm $(LDLIBS)

DEB_PACKAGES := gsoap libgsoap-dev libssl-dev zlib1g-dev libcunit1-dev libsqlite3-dev libxml2-utils libxml2-dev \
                pkg-config curl openssl
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SUDO_QUIET  := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)# (optional packages: never a password prompt)

# ---- sources (evaluated in the second stage, after generation) ----
GEN_SRCS     = $(wildcard $(GEN)/soapC_*.c) $(GEN)/soapClient.c $(GEN)/ews_operations.c $(GEN)/ews_responses.c $(GEN)/ews_codecs.c \
               $(GEN)/ews_readers.c
GEN_OBJS     = $(patsubst $(GEN)/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRCS))
SRVGEN_OBJS  = $(BUILD)/obj/gen/soapServer.o $(BUILD)/obj/gen/ews_server_defaults.o
CORE_SRCS    = $(wildcard runtime/core/*.c)
WF_SRCS      = $(wildcard runtime/workflows/*.c)
RT_SRCS      = $(wildcard runtime/src/*.c)
BIND_SRCS    = $(wildcard runtime/binding/*.c)
CORE_OBJS    = $(patsubst runtime/core/%.c,$(BUILD)/obj/core/%.o,$(CORE_SRCS))
BIND_OBJS    = $(patsubst runtime/binding/%.c,$(BUILD)/obj/binding/%.o,$(BIND_SRCS))
WF_OBJS      = $(patsubst runtime/workflows/%.c,$(BUILD)/obj/workflows/%.o,$(WF_SRCS))
RT_OBJS      = $(CORE_OBJS) $(BIND_OBJS) $(WF_OBJS) $(patsubst runtime/src/%.c,$(BUILD)/obj/runtime/%.o,$(RT_SRCS))
RT_HEADERS   = $(wildcard runtime/include/ews/*.h runtime/core/*.h runtime/workflows/*.h runtime/src/*.h)
SRV_SRCS     = $(wildcard server/*.c)
SRV_OBJS     = $(patsubst server/%.c,$(BUILD)/obj/server/%.o,$(SRV_SRCS))
# the ews-* tools (examples/tools/NAME.c -> ews-NAME) and their shared support, a static library outside libews
EX_SRCS      = $(wildcard examples/tools/*.c)
EX_BINS      = $(patsubst examples/tools/%.c,$(BUILD)/bin/ews-%,$(EX_SRCS))
EX_OBJS      = $(patsubst examples/tools/%.c,$(BUILD)/obj/tools/%.o,$(EX_SRCS))
CLI_SRCS     = $(wildcard examples/tools/cli/*.c)
CLI_OBJS     = $(patsubst examples/tools/cli/%.c,$(BUILD)/obj/cli/%.o,$(CLI_SRCS))
LIB_CLI      = $(BUILD)/libews-cli.a
# ewsd's NTLM server side: also linked into the suites that play an NTLM server
NTLM_SRV_OBJ = $(BUILD)/obj/server/ntlm_server.o
TEST_SRCS    = $(wildcard tests/test_*.c)
TEST_BINS    = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
TEST_COMMON  = $(wildcard tests/common/*.c)
TEST_COMMON_OBJS = $(patsubst tests/common/%.c,$(BUILD)/obj/tests-common/%.o,$(TEST_COMMON))
LIB_TEST_COMMON  = $(BUILD)/libews-testcommon.a
SERVER_BIN   = $(if $(SRV_SRCS),$(BUILD)/bin/ewsd)
# The library's name: libews from libews's own schema (wsdl/), libews-<set> from any other (the "library:" line
# ewsgen writes in STAMP), so builds from two schemas install side by side: own soname, pkg-config name, header
# directory and command names (ews-find-items-<set>). Programs pick one with pkg-config (README: Install).
LIBNAME     := $(or $(shell sed -n 's/^library: //p' $(GEN)/STAMP 2>/dev/null),ews)
SET_SUFFIX  := $(patsubst ews%,%,$(LIBNAME))
GEN_INCDIR  := ews/generated$(SET_SUFFIX)
LIB_A        = $(BUILD)/lib$(LIBNAME).a
LIB_SO       = $(BUILD)/lib$(LIBNAME).so.$(VERSION)
# What `make install` puts under $(INCLUDEDIR)/$(GEN_INCDIR): the bindings a libews program includes.
GEN_HEADERS  = $(GEN)/soapH.h $(GEN)/soapStub.h $(GEN)/ews_operations.h $(GEN)/ews_schema.h $(GEN)/ews_schema_members.h
# The public headers: what libews.so may export (runtime/exports.sh)
EXPORT_HEADERS = $(wildcard runtime/include/ews/*.h) $(GEN_HEADERS)
EXPORTS_ENV  = CC="$(CC)" HEADER_CFLAGS="$(GSOAP_CFLAGS) -Iruntime/include -I$(GEN)" HEADERS="$(EXPORT_HEADERS)" \
               RT_HEADER_CFLAGS="$(GSOAP_CFLAGS) -Iruntime/include" \
               GSOAP_LIB="$(shell pkg-config --variable=libdir gsoapssl 2>/dev/null)/libgsoapssl.so"
# The schema the bindings (and so the library) were generated from, as STAMP records it: what share/libews/wsdl holds.
SCHEMA_FILES = $(wildcard $(SCHEMA_DIR)/*.wsdl $(SCHEMA_DIR)/*.WSDL $(SCHEMA_DIR)/*.xsd $(SCHEMA_DIR)/*.XSD)
MAN_PAGES    = $(patsubst $(BUILD)/bin/%,$(BUILD)/man/%.1,$(EX_BINS) $(SERVER_BIN))

# ---- unity groups (issue 11 point 8, build speed; mk/unity.sh) ----
# The hand-written files of runtime/core, runtime/workflows, ewsd and the tools' support are compiled in groups,
# each group one translation unit (a file of #includes written by mk/unity.sh): most of a file's compile is fixed
# cost (the compiler's start and the precompiled soapH.h or stdsoap2.h with OpenSSL: 0.2-0.3 s of CPU each here),
# paid once per group instead of once per file (118 files -> 36 units). mk/unity.sh only groups files no
# name of which can meet the other's (statics, tags, typedefs, macros) and that agree on _GNU_SOURCE & co.; a
# group that still fails to compile as one is compiled file by file (a note says so), never a failed build.
# Same flags, same debug info, same symbols (check-layers and the export map read the group objects). ewsd's
# main.c, ntlm_server.c and stmt.c stay single (the suites and the fuzz tree link them alone). UNITY= turns
# it off (one object per file, as before); the groups are in $(BUILD)/unity.mk, remade when a file is added.
UNITY       ?= 1
UNITY_SOLO  := server/main.c server/ntlm_server.c server/stmt.c
ifneq ($(UNITY),)
ifneq ($(filter-out clean distclean,$(or $(MAKECMDGOALS),all)),)
UNITY_MK     = $(BUILD)/unity.mk
UNITY_NOW   := $(CORE_SRCS) | $(WF_SRCS) | $(filter-out $(UNITY_SOLO),$(SRV_SRCS)) | $(CLI_SRCS)
-include $(UNITY_MK)
$(UNITY_MK): mk/unity.sh $(CORE_SRCS) $(WF_SRCS) $(SRV_SRCS) $(CLI_SRCS) $(if $(filter-out $(UNITY_NOW),$(UNITY_LIST))$(filter-out $(UNITY_LIST),$(UNITY_NOW)),UNITY_FORCE)
	@mkdir -p $(@D)
	@{ echo 'UNITY_LIST := $(UNITY_NOW)'; \
	   mk/unity.sh groups core $(BUILD)/obj/core 3000 $(CORE_SRCS) && \
	   mk/unity.sh groups workflows $(BUILD)/obj/workflows 3000 $(WF_SRCS) && \
	   mk/unity.sh groups server $(BUILD)/obj/server 4000 $(filter-out $(UNITY_SOLO),$(SRV_SRCS)) && \
	   mk/unity.sh groups cli $(BUILD)/obj/cli 3000 $(CLI_SRCS); } > $@.tmp && mv $@.tmp $@
CORE_OBJS    = $(UNITY_core)
WF_OBJS      = $(UNITY_workflows)
SRV_OBJS     = $(UNITY_server) $(patsubst server/%.c,$(BUILD)/obj/server/%.o,$(filter $(UNITY_SOLO),$(SRV_SRCS)))
CLI_OBJS     = $(UNITY_cli)
.PHONY: UNITY_FORCE
UNITY_FORCE:
endif
endif
# UNITY_CC(flags): the group's file (its #includes) compiled as one; if it does not compile, each file alone,
# joined with ld -r into the group's object.
define UNITY_CC
	@mkdir -p $(@D)
	@echo "  CC (unity) $(notdir $(filter %.c,$^))"
	@mk/unity.sh wrapper $(filter %.c,$^) > $(@:.o=.c)
	@if $(CC) $(1) -c $(@:.o=.c) -o $@ 2> $(@:.o=.err); then cat $(@:.o=.err) >&2; rm -f $(@:.o=.err); else \
		rm -f $(@:.o=.err) $@; rm -rf $(@:.o=.parts); mkdir -p $(@:.o=.parts); \
		echo "  unity: $(notdir $@) does not compile as one unit (mk/unity.sh missed a clash): file by file" >&2; \
		for f in $(filter %.c,$^); do echo "  CC $$f"; \
			$(CC) $(1) -c $$f -o $(@:.o=.parts)/$$(basename $$f .c).o || exit 1; done; \
		$(CC) -r -nostdlib -o $@ $(@:.o=.parts)/*.o; fi
endef

.PHONY: all deps generate schema-diff build check check-run check-generator check-official check-valgrind demo bench install install-files \
	uninstall clean distclean
.DEFAULT_GOAL := all

# The core layer names nothing generated (check-layers), so it compiles while ewsgen and gSOAP generate: in a
# fresh tree that is the one stretch where a single process runs and the other core would idle. It waits for
# ewsgen (order only), or make would take the core's files before ewsgen's link and start generating 2 s later.
# The precompiled headers and the binding layer follow the generation at once, beside the core's last files,
# instead of after them in the second make.
# (The prerequisites named later in this file are added where they are defined: make expands a rule's line as
# it reads it.)
all: $(GEN)/STAMP
	@$(MAKE) --no-print-directory build

# Install the Debian packages the build needs, only those missing (apt-get update once, first). With NO_DEPS=1
# (packagers, machines without root) nothing is installed: missing packages are named, and a missing tool stops
# the build at once.
NO_DEPS     ?=
# (One dpkg-query for all of them: every make runs this first, and one call per package was 0.15 s of it.)
deps:
	@ok=" $$(dpkg-query -W -f='$${Package} $${Status}\n' $(DEB_PACKAGES) 2>/dev/null | \
		awk '/ ok installed$$/ { printf "%s ", $$1 }')"; \
	missing=$$(for p in $(DEB_PACKAGES); do case "$$ok" in *" $$p "*) ;; *) echo $$p;; esac; done); \
	if [ -n "$$missing" ] && [ -n "$(NO_DEPS)" ]; then \
		echo "NO_DEPS=1: not installing Debian packages:" $$missing >&2; \
		for t in wsdl2h soapcpp2 pkg-config; do command -v $$t >/dev/null || { \
			echo "NO_DEPS=1: $$t not found (Debian packages: $(DEB_PACKAGES))" >&2; exit 1; }; done; \
	elif [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi && \
	if [ -z "$(NO_DEPS)" ] && [ ! -f build/.optional-packages-tried ]; then \
		opt=$$(for p in $(DEB_OPTIONAL); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
			grep -q ' ok installed$$' || echo $$p; done); \
		if [ -n "$$opt" ]; then \
			echo "installing optional Debian packages:" $$opt; \
			{ [ -n "$$missing" ] || $(SUDO_QUIET) apt-get update -qq; } && \
			$(SUDO_QUIET) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$opt >/dev/null || \
			echo "optional packages not installed ($$opt): the build goes on without them" >&2; \
		fi; \
		mkdir -p build && touch build/.optional-packages-tried; \
	fi

# The generator (generator/*.c, libxml2): a build tool, compiled with the host compiler, the same in every build tree.
HOSTCC      ?= cc
EWSGEN      := build/tools/ewsgen
EWSGEN_SRCS := $(wildcard generator/*.c)
EWSGEN_RUN   = $(EWSGEN) generate --generator-dir generator --default-set wsdl

# One object per file: in a fresh tree they compile two at a time beside the core layer, so the generator runs
# (and one core is left to the core layer) a second sooner than with one compiler process for all of them.
# -Og -g1: a build tool that runs once per generation (its own part of that is small beside soapcpp2's); a third
# less of its compile than -O1 -g (0.92 -> 0.65 s of CPU), ahead of everything else in a fresh tree.
EWSGEN_OBJS := $(patsubst generator/%.c,build/tools/ewsgen-obj/%.o,$(EWSGEN_SRCS))
$(EWSGEN_OBJS): build/tools/ewsgen-obj/%.o: generator/%.c $(wildcard generator/*.h) | deps
	@mkdir -p $(@D)
	@echo "  HOSTCC $<"
	@$(HOSTCC) -std=gnu11 -Og -g1 -Wall -Wextra -Wshadow -Wno-unused-parameter $$(pkg-config --cflags libxml-2.0) -c $< -o $@
$(EWSGEN): $(EWSGEN_OBJS)
	$(HOSTCC) -o $@ $(EWSGEN_OBJS) $$(pkg-config --libs libxml-2.0) -lcrypto
$(CORE_OBJS): | $(EWSGEN)

# The default bindings follow wsdl/ and the generator; `make generate` writes them from any schema set.
# Order: deps (packages) before ewsgen before generation, whatever -j says (order-only prerequisites).
$(GEN)/STAMP: $(wildcard wsdl/*) $(filter-out %.md,$(wildcard generator/*)) $(wildcard $(SCHEMA_DIR)/*) | $(EWSGEN)
	$(EWSGEN_RUN) $(SCHEMA_DIR) $(GEN)

generate: deps $(EWSGEN)
	$(EWSGEN_RUN) $(SCHEMA_DIR) $(GEN)

# What changed between two schema sets: make schema-diff OLD=wsdl NEW=../shared/ews-schemas/V2018_01_08
schema-diff: $(EWSGEN)
	@$(EWSGEN) schema-diff $(or $(OLD),wsdl) $(or $(NEW),$(SCHEMA_DIR))

# Which generated sources there are (soapC_*.c ...) is known only once the generator has run: in a fresh tree
# `make build` generates first, then builds in a new make that sees them (GEN_READY: the bindings exist).
GEN_READY := $(wildcard $(GEN)/STAMP)
ifeq ($(GEN_READY),)
build: $(GEN)/STAMP
	@$(MAKE) --no-print-directory build
else
build: $(LIB_A) $(LIB_SO) $(LIB_CLI) $(SERVER_BIN) $(EX_BINS)
endif
# The same for a goal under $(BUILD) in a fresh tree (make build/bin/ews-backup): make generates first, remaking a
# makefile it includes, and so starts over, now seeing the generated sources.
ifeq ($(GEN_READY),)
ifneq ($(filter $(BUILD)/%,$(MAKECMDGOALS)),)
-include $(BUILD)/generated.mk
$(BUILD)/generated.mk: $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo '# $(GEN) is generated: make started over to see its sources' > $@
endif
endif

# (GEN_SRC: the path the compiler is given; the build speed section compiles through a link, see there)
GEN_SRC      = $(1)
GEN_SRC_LINK = :
$(BUILD)/obj/gen/%.o: $(GEN)/%.c $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC (generated) $<"
	@$(call GEN_SRC_LINK,$<)
	@$(CC) $(GEN_CFLAGS) -c $(call GEN_SRC,$<) -o $@

$(BUILD)/obj/core/%.o: runtime/core/%.c $(RT_HEADERS) | deps
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_CORE) -c $< -o $@

$(BUILD)/obj/binding/%.o: runtime/binding/%.c $(RT_HEADERS) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_BIND) -c $< -o $@

$(BUILD)/obj/workflows/%.o: runtime/workflows/%.c $(RT_HEADERS) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/obj/runtime/%.o: runtime/src/%.c $(RT_HEADERS) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/obj/cli/%.o: examples/tools/cli/%.c $(wildcard examples/tools/cli/ews/*.h) $(RT_HEADERS) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) $(CLI_INCLUDES) -c $< -o $@

$(LIB_CLI): $(CLI_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/server/%.o: server/%.c $(wildcard server/*.h) $(RT_HEADERS) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) $(SERVER_OPT) -Iserver -c $< -o $@

$(filter %.o,$(UNITY_core)): $(BUILD)/obj/core/unity-%.o: $(RT_HEADERS) mk/unity.sh | deps
	$(call UNITY_CC,$(CFLAGS_CORE))
$(filter %.o,$(UNITY_workflows)): $(BUILD)/obj/workflows/unity-%.o: $(RT_HEADERS) $(GEN)/STAMP mk/unity.sh
	$(call UNITY_CC,$(CFLAGS_ALL))
$(filter %.o,$(UNITY_server)): $(BUILD)/obj/server/unity-%.o: $(wildcard server/*.h) $(RT_HEADERS) $(GEN)/STAMP mk/unity.sh
	$(call UNITY_CC,$(CFLAGS_ALL) $(SERVER_OPT) -Iserver)
$(filter %.o,$(UNITY_cli)): $(BUILD)/obj/cli/unity-%.o: $(wildcard examples/tools/cli/ews/*.h) $(RT_HEADERS) $(GEN)/STAMP mk/unity.sh
	$(call UNITY_CC,$(CFLAGS_ALL) $(CLI_INCLUDES))

$(LIB_A): $(RT_OBJS) $(GEN_OBJS)
	@rm -f $@
	ar rcs $@ $^

# libews.so exports exactly what the public headers declare: its version script (global: those, local: *) is
# written from the headers and the objects by runtime/exports.sh, so it cannot drift (see the layers section).
# The headers' names first (two preprocessor runs, 0.3 s), as soon as they are generated, beside the compiles: the
# map itself, which waits for every object, is then an nm away from the library's link. (The generated headers
# change only with STAMP, and a fresh tree has none to name yet.)
$(BUILD)/libews.public: $(wildcard runtime/include/ews/*.h) $(GEN)/STAMP runtime/exports.sh
	@mkdir -p $(@D)
	@$(EXPORTS_ENV) runtime/exports.sh public $@.tmp && mv $@.tmp $@
$(BUILD)/libews.map: $(RT_OBJS) $(GEN_OBJS) $(BUILD)/libews.public runtime/exports.sh
	@$(EXPORTS_ENV) OBJS="$(RT_OBJS) $(GEN_OBJS)" PUBLIC=$(BUILD)/libews.public runtime/exports.sh map $@

$(LIB_SO): $(RT_OBJS) $(GEN_OBJS) $(BUILD)/libews.map
	$(CC) -shared -Wl,-soname,lib$(LIBNAME).so.$(SOVERSION) -Wl,--version-script=$(BUILD)/libews.map $(SAN_FLAGS) \
		-o $@ $(RT_OBJS) $(GEN_OBJS) $(LDLIBS_ALL)
	ln -sf lib$(LIBNAME).so.$(VERSION) $(BUILD)/lib$(LIBNAME).so.$(SOVERSION)
	ln -sf lib$(LIBNAME).so.$(VERSION) $(BUILD)/lib$(LIBNAME).so

$(BUILD)/bin/ewsd: $(SRV_OBJS) $(SRVGEN_OBJS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $(SRV_OBJS) $(SRVGEN_OBJS) $(LIB_A) $(LDLIBS_ALL)

# The ews-* tools and the teaching examples link against libews.so, not the static archive: a link then reads one
# small shared object instead of libews.a's serializers (0.7 -> 0.3 s of CPU per program, 33 of them in `make`),
# and the programs share one copy of the bindings (stripped ews-find-items 0.2 MB + libews.so). They find it
# through their RUNPATH: the build tree from bin/.. (or examples/..), an install from bin/../lib; LD_LIBRARY_PATH
# still comes first. TOOLS_STATIC=1 links them statically as before (bench/regen.sh measures that size too).
TOOLS_STATIC ?=
LINK_LIBEWS  = $(if $(TOOLS_STATIC),$(LIB_A),$(LIB_SO) -Wl$(comma)-rpath$(comma)'$$ORIGIN/..:$$ORIGIN/../lib')
LINK_LIBEWS_DEP = $(if $(TOOLS_STATIC),$(LIB_A),$(LIB_SO))

# Compiled apart from their link: the compiles need only the headers and run beside the library's, so what waits
# for libews.so at the end of a build is 34 links (~0.1 s each), not 34 compiles (a third of a second each).
$(EX_OBJS): $(BUILD)/obj/tools/%.o: examples/tools/%.c $(wildcard runtime/include/ews/*.h examples/tools/*.h examples/tools/cli/ews/*.h) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) $(CLI_INCLUDES) -c $< -o $@
$(BUILD)/bin/ews-%: $(BUILD)/obj/tools/%.o $(LIB_CLI) $(LINK_LIBEWS_DEP)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $< $(LIB_CLI) $(LINK_LIBEWS) $(LDLIBS_ALL)

# The suites' shared helpers (tests/common) are compiled once into an archive, not into every suite binary: a
# suite's compile is then one translation unit, not eight, each parsing the generated headers (8 MB for V2018).
$(BUILD)/obj/tests-common/%.o: tests/common/%.c $(wildcard tests/common/*.h) $(RT_HEADERS) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) $(CLI_INCLUDES) -Iserver -Itests/common -c $< -o $@

$(LIB_TEST_COMMON): $(TEST_COMMON_OBJS)
	@rm -f $@
	ar rcs $@ $^

# libews.a once more at the end: a suite of core functions only (test_autodiscover) names no generated symbol,
# yet libgsoapssl calls back the generated dispatchers (soap_getelement ...), which the archive then provides.
$(BUILD)/tests/%: tests/%.c $(LIB_TEST_COMMON) $(wildcard tests/common/*.h) $(LIB_CLI) $(LIB_A) $(SRV_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(CLI_INCLUDES) -Iserver -Itests/common -o $@ $< $(LIB_TEST_COMMON) $(LIB_CLI) $(NTLM_SRV_OBJ) \
		$(LIB_A) $(LDLIBS_ALL) -lcunit $(LIB_A)

# ---- tests ----
check: $(GEN)/STAMP $(CORE_OBJS)
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory check-run
	@$(MAKE) --no-print-directory check-generator
	@$(MAKE) --no-print-directory check-fuzz-short
	@if [ -z "$(SKIP_OFFICIAL)" ]; then for s in $(OFFICIAL_SCHEMAS); do \
		[ ! -d "$$s" ] || $(MAKE) --no-print-directory check-official OFFICIAL_SCHEMA=$$s || exit 1; done; fi
	@$(MAKE) --no-print-directory check-identity

# The generator on variants of the shared official sets built at test time (BOM, spellings, missing operations).
check-generator: $(EWSGEN)
	@tests/schema/generator.sh $(EWSGEN) $(SHARED_DIR)

check-run: build $(TEST_BINS)
	@EWS_BUILD=$(BUILD) EWS_SHARED=$(SHARED_DIR) tests/run-suites.sh $(TEST_BINS)

# Every suite under valgrind's memcheck (leaks and memory errors fail the suite), and every ewsd the suites start
# (through the harness's EWSD_WRAPPER hook; its reports go to $(VALGRIND_LOGS)/ewsd.PID.log, and any non-empty one
# fails the target). Slow: not part of `make check`. VALGRIND_SUITES: a shard (default all); VALGRIND_TIMEOUT:
# seconds one suite may take under valgrind before it is stopped and counted failed. One suite per CPU at once
# (valgrind keeps a CPU busy; EWS_SUITE_JOBS=N for more or fewer), not run-suites.sh's three.
VALGRIND         = valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=30 \
		   --suppressions=$(CURDIR)/tests/valgrind.supp
VALGRIND_SUITES  = $(TEST_BINS)
VALGRIND_TIMEOUT = 1800
VALGRIND_LOGS    = $(BUILD)/valgrind
check-valgrind: $(GEN)/STAMP
	@$(MAKE) --no-print-directory build $(VALGRIND_SUITES)
	@command -v valgrind >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
	@rm -rf $(VALGRIND_LOGS) && mkdir -p $(VALGRIND_LOGS)
	@EWS_BUILD=$(BUILD) EWS_SHARED=$(SHARED_DIR) EWS_SUITE_TIMEOUT=$(VALGRIND_TIMEOUT) \
		EWS_SUITE_JOBS=$${EWS_SUITE_JOBS:-$$(nproc)} EWS_TEST_WRAPPER="$(VALGRIND) --error-exitcode=99" \
		EWSD_WRAPPER="$(VALGRIND) --log-file=$(abspath $(VALGRIND_LOGS))/ewsd.%p.log" \
		tests/run-suites.sh $(VALGRIND_SUITES); rc=$$?; \
	bad=$$(find $(VALGRIND_LOGS) -name 'ewsd.*.log' -size +0); \
	if [ -n "$$bad" ]; then echo "ewsd under valgrind reported:"; for f in $$bad; do echo "== $$f"; cat "$$f"; done; \
		exit 1; fi; \
	echo "ewsd under valgrind: $$(ls $(VALGRIND_LOGS) | wc -l) runs, clean"; exit $$rc

# The same runtime and binding tests against bindings generated from an official schema set (the newest by
# default; OFFICIAL_SCHEMA=dir for another): proves `make generate` works on it and that code written for our
# schema compiles unchanged against the full one. Each set gets its own build tree.
OFFICIAL_BUILD = build-official-$(notdir $(patsubst %/,%,$(OFFICIAL_SCHEMA)))
check-official:
	@echo "== bindings from the official schema $(OFFICIAL_SCHEMA)"
	@$(MAKE) --no-print-directory GEN=$(OFFICIAL_BUILD)/generated BUILD=$(OFFICIAL_BUILD) \
		SCHEMA_DIR=$(OFFICIAL_SCHEMA) $(OFFICIAL_BUILD)/generated/STAMP
	@$(MAKE) --no-print-directory GEN=$(OFFICIAL_BUILD)/generated BUILD=$(OFFICIAL_BUILD) SKIP_OFFICIAL=1 check-run
	@if [ "$(OFFICIAL_SCHEMA)" = "$(SHARED_DIR)/ews-schemas/V2018_01_08" ] && [ "$(GEN)" = generated ] && \
	    grep -q '^schema: wsdl$$' $(GEN)/STAMP; then \
		echo "== our schema is a faithful subset of $(OFFICIAL_SCHEMA)"; \
		generator/check-subset.sh $(GEN)/soapStub.h $(OFFICIAL_BUILD)/generated/soapStub.h; fi

# ---- the tour ----
demo: all
	@examples/tools/demo.sh $(BUILD)

# ---- install ----
# libdir/includedir relative to ${prefix} when under it, so `pkg-config --define-prefix` works on a staged tree.
# Written anew by every install: it must match this run's PREFIX/LIBDIR/INCLUDEDIR, not an earlier one's.
.PHONY: $(BUILD)/lib$(LIBNAME).pc
$(BUILD)/lib$(LIBNAME).pc: libews.pc.in
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@LIBNAME@|$(LIBNAME)|g' -e 's|@GEN_INCDIR@|$(GEN_INCDIR)|g' \
	    -e 's|@SCHEMA@|$(shell sed -n 's/^schema-name: //p' $(GEN)/STAMP)|g' $< > $@

$(BUILD)/man/%.1: $(BUILD)/bin/% examples/tools/help2man.sh
	@mkdir -p $(@D)
	examples/tools/help2man.sh $< $(VERSION) > $@

install: all
	@$(MAKE) --no-print-directory install-files

# Every name carries the set's suffix (empty for libews's own schema): two builds share only the runtime headers
# in include/ews/, which are the same for every schema.
install-files: build $(BUILD)/lib$(LIBNAME).pc $(MAN_PAGES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/$(GEN_INCDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/lib$(LIBNAME)/wsdl
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf lib$(LIBNAME).so.$(VERSION) $(DESTDIR)$(LIBDIR)/lib$(LIBNAME).so.$(SOVERSION)
	ln -sf lib$(LIBNAME).so.$(VERSION) $(DESTDIR)$(LIBDIR)/lib$(LIBNAME).so
	install -m 644 $(BUILD)/lib$(LIBNAME).pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 runtime/include/ews/*.h $(DESTDIR)$(INCLUDEDIR)/ews/
	install -m 644 $(GEN_HEADERS) $(DESTDIR)$(INCLUDEDIR)/$(GEN_INCDIR)/
	for f in $(EX_BINS) $(SERVER_BIN); do install -m 755 $$f $(DESTDIR)$(BINDIR)/$${f##*/}$(SET_SUFFIX) || exit 1; done
	for f in $(MAN_PAGES); do b=$${f##*/}; \
		install -m 644 $$f $(DESTDIR)$(MANDIR)/man1/$${b%.1}$(SET_SUFFIX).1 || exit 1; done
	rm -f $(DESTDIR)$(DATADIR)/lib$(LIBNAME)/wsdl/*
	install -m 644 $(SCHEMA_FILES) $(DESTDIR)$(DATADIR)/lib$(LIBNAME)/wsdl/

# Removes this build's files (its set's names); the runtime headers only when no other build's are left.
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/lib$(LIBNAME).a $(DESTDIR)$(LIBDIR)/lib$(LIBNAME).so \
		$(DESTDIR)$(LIBDIR)/lib$(LIBNAME).so.* $(DESTDIR)$(LIBDIR)/pkgconfig/lib$(LIBNAME).pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/$(GEN_INCDIR) $(DESTDIR)$(DATADIR)/lib$(LIBNAME)
	rm -f $(patsubst examples/tools/%.c,$(DESTDIR)$(BINDIR)/ews-%$(SET_SUFFIX),$(EX_SRCS)) \
		$(DESTDIR)$(BINDIR)/ewsd$(SET_SUFFIX)
	rm -f $(patsubst examples/tools/%.c,$(DESTDIR)$(MANDIR)/man1/ews-%$(SET_SUFFIX).1,$(EX_SRCS)) \
		$(DESTDIR)$(MANDIR)/man1/ewsd$(SET_SUFFIX).1
	if ! ls -d $(DESTDIR)$(INCLUDEDIR)/ews/generated* >/dev/null 2>&1; then rm -rf $(DESTDIR)$(INCLUDEDIR)/ews; fi

clean:
	rm -rf build build-asan build-official-*

distclean: clean
	find $(GEN) -mindepth 1 ! -name README.md -delete

# ---- bench (issue 13 points 1 and 4, issue 12 point 6): `make bench` — self-contained, see bench/README.md ----
# Scale down with BENCH_ITEMS=20000 BENCH_EXPORT_ITEMS=5000 BENCH_RUNS=3 ... (bench/run.sh lists them all).
# Not part of `make check`: nothing here asserts a time.
BENCH_COMMON  = bench/measure.c bench/client_setup.c tests/common/prepass_oracle.c
BENCH_PROGS   = $(patsubst bench/bench_%.c,$(BUILD)/bench/bench-%,$(wildcard bench/bench_*.c))
BENCH_TOOLS   = $(BUILD)/bench/bench-replay $(BUILD)/bench/bench-cputime $(BUILD)/bench/bench-rss.so
BENCH_BEFORE  = $(BUILD)/bench-before/bench-paging $(BUILD)/bench-before/bench-sync
BENCH_XML_CFLAGS = $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
BENCH_XML_LIBS   = $(shell pkg-config --libs libxml-2.0 2>/dev/null)
# libgsoapssl.so calls back into the generated serializers (soap_getfault, ...): since core names no generated
# symbol (issue 11), a bench program that uses no operation (bench-sax, bench-prepass) must pull them in itself
BENCH_LDFLAGS    = -Wl,-u,soap_getfault
.PHONY: bench-build bench-transfer

bench: $(GEN)/STAMP
	@pkg-config --exists libxml-2.0 || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-dev >/dev/null
	@$(MAKE) --no-print-directory build bench-build
	@bench/run.sh $(BUILD)
	@nice -n 10 bench/transfer.sh $(BUILD)

# export and backup throughput alone (issue 12 point 6; bench/transfer.sh, part of `make bench`)
bench-transfer: $(GEN)/STAMP
	@$(MAKE) --no-print-directory build bench-build
	@nice -n 10 bench/transfer.sh $(BUILD)

# in a fresh tree the generated sources are known only after generating (as for `build`)
ifeq ($(GEN_READY),)
bench-build: $(GEN)/STAMP
	@$(MAKE) --no-print-directory bench-build
else
bench-build: $(BENCH_PROGS) $(BENCH_TOOLS) $(BENCH_BEFORE)
endif

# the same clients with the three pre-issue-13 passes in place of ews_xml_prepass() (BENCH_BEFORE=1 make bench)
$(BUILD)/bench-before/bench-%: bench/bench_%.c bench/prepass_before.c $(BENCH_COMMON) $(wildcard bench/*.h tests/common/prepass_oracle.h) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(BENCH_XML_CFLAGS) -Ibench -Itests/common -o $@ $< bench/prepass_before.c $(BENCH_COMMON) $(BENCH_LDFLAGS) $(LIB_A) $(LDLIBS_ALL) $(BENCH_XML_LIBS)

$(BUILD)/bench/bench-%: bench/bench_%.c $(BENCH_COMMON) $(wildcard bench/*.h tests/common/prepass_oracle.h) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(BENCH_XML_CFLAGS) -Ibench -Itests/common -o $@ $< $(BENCH_COMMON) $(BENCH_LDFLAGS) $(LIB_A) $(LDLIBS_ALL) $(BENCH_XML_LIBS)

$(BUILD)/bench/bench-replay: bench/replay.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $< -lz

$(BUILD)/bench/bench-cputime: bench/cputime.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $<

# preloaded into the measured clients (bench/transfer.sh): code mapped in before start, a tool's start noted
$(BUILD)/bench/bench-rss.so: bench/rss_shim.c bench/measure.c bench/bench.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -fPIC -fvisibility=hidden -Wall -Wextra -Iruntime/include -Ibench -shared -o $@ \
		bench/rss_shim.c bench/measure.c -ldl -lpthread
# ==== fuzzing: tests/fuzz (libFuzzer + ASan/UBSan) — self-contained section, see tests/fuzz/README.md ========
#   make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="decode ids"]   each target N seconds (default 60), corpus kept
#             [FUZZ_RUNS=N]                                   ... or until N executions, whichever comes first
#   make check-fuzz                                           each target a few seconds; fails on a finding
# The whole library, ewsd's modules and gSOAP's own runtime (stdsoap2.c from Debian's source package, fetched
# once by tests/fuzz/fetch-gsoap-source.sh) are compiled with clang and coverage instrumentation into
# $(FUZZ_BUILD) by a recursive make of the rules above.
FUZZ_BUILD          ?= build/fuzz
FUZZ_CC             ?= clang-14
FUZZ_SECONDS        ?= 60
FUZZ_CHECK_SECONDS  ?= 4
# make fuzz FUZZ_RUNS=10000000: also stop each target after that many executions (a campaign aiming at a count)
FUZZ_RUNS           ?=
# open findings the harnesses may step over until fixed (see tests/fuzz/README.md), e.g. FUZZ_KNOWN=dup-xmlns
FUZZ_KNOWN          ?=
FUZZ_DEB_PACKAGES   := clang-14 libclang-rt-14-dev
FUZZ_ALL            := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS        ?= $(FUZZ_ALL)
FUZZ_SAN            := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
                       -fno-omit-frame-pointer
FUZZ_GSOAP          := $(FUZZ_BUILD)/gsoap
FUZZ_BINS            = $(patsubst %,$(FUZZ_BUILD)/bin/fuzz_%,$(FUZZ_ALL))
FUZZ_SRV_OBJS        = $(filter-out $(BUILD)/obj/server/main.o,$(SRV_OBJS)) $(SRVGEN_OBJS)

.PHONY: fuzz check-fuzz check-fuzz-short fuzz-deps fuzz-build fuzz-bins

# after deps (one apt-get at a time, whatever -j says); NO_DEPS=1 names what is missing instead of installing it
fuzz-deps: deps
	@missing=$$(for p in $(FUZZ_DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ] && [ -n "$(NO_DEPS)" ]; then \
		echo "NO_DEPS=1: the fuzz targets need the Debian packages:" $$missing >&2; exit 1; \
	elif [ -n "$$missing" ]; then \
		echo "installing Debian packages for fuzzing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@[ -f $(FUZZ_GSOAP)/stdsoap2.c ] || tests/fuzz/fetch-gsoap-source.sh $(FUZZ_GSOAP) || { \
		echo "FUZZ TARGETS NOT BUILT: gSOAP's runtime source (stdsoap2.c, dom.c of the installed libgsoap-dev)" \
		     "could not be fetched from Debian's gsoap source package (above). Every fuzz target links gSOAP's" \
		     "parser built from that source; put those three files (with stdsoap2.h) into $(FUZZ_GSOAP)/," \
		     "or skip fuzzing explicitly with SKIP_FUZZ=1." >&2; exit 1; }

fuzz-build: deps $(GEN)/STAMP fuzz-deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="-O1 -g" SAN_FLAGS="$(FUZZ_SAN)" \
		GSOAP_LIBS= fuzz-bins

fuzz: fuzz-build
	@EWS_FUZZ_KNOWN="$(FUZZ_KNOWN)" EWS_FUZZ_RUNS="$(FUZZ_RUNS)" tests/fuzz/run.sh $(FUZZ_BUILD) $(SHARED_DIR) \
		$(FUZZ_SECONDS) $(FUZZ_TARGETS)

# make check's short run starts from a fixed seed (FUZZ_SEED=1; 0 = random, as `make fuzz`), so a clean clone explores
# the same inputs first and a finding there is reproducible; `make fuzz` explores anew every time.
FUZZ_SEED ?= 1
check-fuzz: fuzz-build
	@EWS_FUZZ_SEED=$(FUZZ_SEED) EWS_FUZZ_KNOWN="$(FUZZ_KNOWN)" tests/fuzz/run.sh $(FUZZ_BUILD) $(SHARED_DIR) $(FUZZ_CHECK_SECONDS) $(FUZZ_TARGETS)

# The part of `make check`: every target's reproducers replayed, then FUZZ_CHECK_SECONDS of fuzzing each (about a
# minute in all once built; the first build of the instrumented tree takes a few minutes). SKIP_FUZZ=1 skips it,
# and says so.
check-fuzz-short:
	@if [ -n "$(SKIP_FUZZ)" ]; then echo "== SKIP_FUZZ=1: fuzz targets and their regression inputs NOT run"; \
	else echo "== fuzz targets ($(FUZZ_CHECK_SECONDS) s each, reproducers first; build tree $(FUZZ_BUILD))"; \
		$(MAKE) --no-print-directory check-fuzz; fi

# (second stage, BUILD=$(FUZZ_BUILD)) gSOAP's runtime with the flags of pkg-config gsoapssl, instrumented.
# Not UBSan's shift-base: soap_decode() percent-decodes HTTP header values with (c - '0') << 4, negative for a
# non-hex digit; harmless on every compiler we use, and not ours to change (memory errors there still count).
# Its per-message hash-table housekeeping gets no coverage callbacks (tests/fuzz/gsoap-coverage-ignore.txt: the
# same loops on every input, half of ewsd_request's time).
$(FUZZ_BUILD)/obj/gsoap/%.o: $(FUZZ_GSOAP)/%.c tests/fuzz/gsoap-coverage-ignore.txt
	@mkdir -p $(@D)
	@echo "  CC (gSOAP, instrumented) $<"
	@$(CC) -O1 -g -w $(SAN_FLAGS) -fno-sanitize=shift-base \
		-fsanitize-coverage-ignorelist=tests/fuzz/gsoap-coverage-ignore.txt $(GSOAP_CFLAGS) -I$(FUZZ_GSOAP) -c $< -o $@

$(FUZZ_BUILD)/obj/fuzz/%.o: tests/fuzz/%.c $(wildcard tests/fuzz/*.h server/*.h) $(RT_HEADERS)
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) -Iserver -Itests/fuzz $$(pkg-config --cflags libxml-2.0) -c $< -o $@

$(FUZZ_BUILD)/libewsd-fuzz.a: $(FUZZ_SRV_OBJS) $(FUZZ_BUILD)/obj/fuzz/ewsd_env.o
	@rm -f $@
	ar rcs $@ $^

# ewsd harnesses (fuzz_ewsd_*) also get the server's modules (not main.c: ewsd_env.c stands in for it), all of
# them: the generated defaults of the operations are weak, and would otherwise answer every request
FUZZ_WHOLE_SERVER    = -Wl,--whole-archive $(FUZZ_BUILD)/libewsd-fuzz.a -Wl,--no-whole-archive
$(FUZZ_BUILD)/bin/fuzz_%: $(FUZZ_BUILD)/obj/fuzz/fuzz_%.o $(LIB_A) $(FUZZ_BUILD)/libewsd-fuzz.a \
		$(FUZZ_BUILD)/obj/gsoap/stdsoap2.o $(FUZZ_BUILD)/obj/gsoap/dom.o
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_BUILD)/obj/gsoap/stdsoap2.o \
		$(FUZZ_BUILD)/obj/gsoap/dom.o $(if $(filter fuzz_ewsd_%,$(notdir $@)),$(FUZZ_WHOLE_SERVER)) \
		$(FUZZ_BUILD)/libewsd-fuzz.a $(LIB_A) -lssl -lcrypto -lz -lsqlite3 -lpthread -lm -lresolv $(KRB5_LIBS) $(DEFLATE_LIBS) \
		$(if $(filter fuzz_decode,$(notdir $@)),$$(pkg-config --libs libxml-2.0))

fuzz-bins: $(FUZZ_BINS)
# keep the instrumented objects (made by pattern rules only, make would delete them as intermediates)
.SECONDARY: $(FUZZ_BUILD)/obj/gsoap/stdsoap2.o $(FUZZ_BUILD)/obj/gsoap/dom.o \
	$(patsubst %,$(FUZZ_BUILD)/obj/fuzz/fuzz_%.o,$(FUZZ_ALL))
# ==== end of the fuzzing section ==============================================================================

# ==== schema identity and regeneration speed (issue 11 points 3 and 8) — self-contained section ========
#   make check-identity   a program built against this build's headers, run with an official-schema build's
#                         library: EWS_ERR_SCHEMA_MISMATCH; both builds installed side by side (tests/schema/identity.sh).
#                         Uses the build-official-* trees check-official makes; skips, saying so, under SKIP_OFFICIAL
#                         when there are none. Part of `make check`.
#   make bench-regen [BENCH_SCHEMA=dir] [BENCH_JOBS=2]   wall, CPU and peak RSS of a from-scratch regenerate + build
#                         of an official set and of the default set, in scratch trees (bench/regen.sh; not a test),
#                         a no-op `make` and the stripped ews-find-items (shared and static); PROFILE=1: CPU per output.
.PHONY: check-identity bench-regen
check-identity: build
	@GEN=$(GEN) MAKE="$(MAKE)" SKIP_OFFICIAL=$(SKIP_OFFICIAL) tests/schema/identity.sh $(BUILD) \
		$(foreach s,$(OFFICIAL_SCHEMAS),build-official-$(notdir $(patsubst %/,%,$(s))))

# Each serializer in its own section, and programs linked with --gc-sections: a tool keeps only the serializers
# something reaches (stripped ews-find-items 1.40 -> 1.13 MB). Appended here: recipes expand these when they run.
GEN_CFLAGS  += -ffunction-sections -fdata-sections
LDLIBS_ALL  += -Wl,--gc-sections
# No unwind tables for the generated serializers: plain C that no exception or thread cancellation crosses, and
# built with -g0 already; their .eh_frame was a sixth of a tool (stripped ews-find-items, see README's build
# table). Sanitizer and fuzz builds keep them, for complete stacks in reports; GEN_UNWIND= keeps them anywhere.
GEN_UNWIND  ?= $(if $(strip $(SAN_FLAGS)),,-fno-asynchronous-unwind-tables -fno-unwind-tables)
GEN_CFLAGS  += $(GEN_UNWIND)
# ... and checked in the objects (part of check-layers): a precompiled header made with other flags once brought
# its unwind tables back in spite of the flag (README: build).
.PHONY: check-gen-unwind
check-layers: check-gen-unwind
check-gen-unwind: build
	@if [ -n "$(strip $(GEN_UNWIND))" ]; then for o in $(filter $(BUILD)/obj/gen/soapC_%.o,$(GEN_OBJS)); do \
		if objdump -h $$o | grep -q '\.eh_frame'; then \
			echo "check-gen-unwind: $$o has unwind tables, GEN_UNWIND=$(strip $(GEN_UNWIND))" >&2; exit 1; fi; done; \
		echo "check-gen-unwind: ok: the serializers have no unwind tables"; fi
# Identical serializers (gSOAP writes many: the same body for types that differ only in name) folded into one,
# as -O2 would; -Og leaves it off. 3% less generated text, no more compile time (soapC_002: 4.2 s either way).
# (gcc's flag: probed, so CC=clang builds such as the fuzz tree go without it)
GEN_ICF     := $(shell $(CC) -fipa-icf -Werror -E -x c /dev/null >/dev/null 2>&1 && echo -fipa-icf)
GEN_CFLAGS  += $(GEN_ICF)
# The library's own files in sections too: a tool keeps the runtime functions it calls, not whole files.
CFLAGS_CORE += -ffunction-sections -fdata-sections
CFLAGS_BIND += -ffunction-sections -fdata-sections
CFLAGS_ALL  += -ffunction-sections -fdata-sections

BENCH_SCHEMA ?= $(OFFICIAL_SCHEMA)
BENCH_JOBS   ?= 2
bench-regen: deps
	@bench/regen.sh $(BENCH_SCHEMA) $(BENCH_JOBS)
# ==== end of the schema identity section =======================================================================

# ==== typed builders and teaching programs (issue 11 points 4 and 7) — self-contained section ===================
# ewsgen writes $(GEN)/ews_builders.[ch] (generator/emit_builders.c): part of libews and of its installed headers.
# examples/learn-*.c teach one idea each, examples/builder-*.c build one request each with the builders; both
# are built to $(BUILD)/examples/NAME by `make` and before the suites run (tests/test_teaching_examples.c runs
# them against ewsd). builder-subscribe-events and builder-resolve-names need operations only official
# schema sets have: built when the bindings have them (make check-official).
GEN_SRCS    += $(GEN)/ews_builders.c
GEN_HEADERS += $(GEN)/ews_builders.h
$(LIB_A) $(LIB_SO) $(BUILD)/libews.map: $(BUILD)/obj/gen/ews_builders.o
OFFICIAL_ONLY_EXAMPLES = builder-subscribe-events builder-resolve-names
HAVE_OFFICIAL_OPS = $(shell grep -q 'EWS_HAVE_OP_SUBSCRIBE\b' $(GEN)/ews_schema.h 2>/dev/null && \
	grep -q 'EWS_HAVE_OP_RESOLVE_NAMES\b' $(GEN)/ews_schema.h 2>/dev/null && echo 1)
TEACH_NAMES  = $(filter-out $(if $(HAVE_OFFICIAL_OPS),,$(OFFICIAL_ONLY_EXAMPLES)), \
	$(patsubst examples/%.c,%,$(wildcard examples/learn-*.c examples/builder-*.c)))
TEACH_BINS   = $(patsubst %,$(BUILD)/examples/%,$(TEACH_NAMES))
TEACH_OBJS   = $(patsubst %,$(BUILD)/obj/examples/%.o,$(TEACH_NAMES))
.PHONY: teaching-examples
teaching-examples: $(TEACH_BINS)
ifneq ($(GEN_READY),)
build: teaching-examples
endif
check-run: teaching-examples

# (compiled apart from their link, as the tools are)
$(TEACH_OBJS): $(BUILD)/obj/examples/%.o: examples/%.c $(wildcard runtime/include/ews/*.h) $(GEN)/STAMP
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(CFLAGS_ALL) -c $< -o $@
$(BUILD)/examples/%: $(BUILD)/obj/examples/%.o $(LINK_LIBEWS_DEP)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $< $(LINK_LIBEWS) $(LDLIBS_ALL)
# ==== end of the builders and teaching programs section ============================================================

# ==== layers (issue 11 point 2): no back edge between runtime/core, the generated bindings, runtime/workflows ====
# tests/layers/check-layers.sh reads the objects' symbols (see there); selftest.sh proves it fails on a back edge.
.PHONY: check-layers
check-layers: build
	@tests/layers/selftest.sh
	@$(EXPORTS_ENV) runtime/exports.sh check $(LIB_SO)
	@$(EXPORTS_ENV) tests/layers/exports-selftest.sh $(BUILD) "$(RT_OBJS) $(GEN_OBJS)" "$(LDLIBS_ALL)"
	@NEWCOMER_CFLAGS="$(SAN_FLAGS)" tests/layers/newcomer.sh $(BUILD) $(GEN)
	@mkdir -p $(BUILD)/tests
	@$(CC) $(CFLAGS_ALL) -o $(BUILD)/tests/layers-client-only tests/layers/client_only.c $(LIB_A) $(LDLIBS_ALL)
	@$(BUILD)/tests/layers-client-only
	@LAYER_CORE="$(CORE_OBJS)" LAYER_GEN="$(GEN_OBJS) $(BIND_OBJS)" LAYER_LIB="$(LIB_A)" \
		LAYER_ABOVE="$(filter-out $(CORE_OBJS) $(BIND_OBJS),$(RT_OBJS))" LAYER_OUTSIDE="$(CLI_OBJS) $(SRV_OBJS)" \
		tests/layers/check-layers.sh $(BUILD)
# ==== end of the layers section ===============================================================================

# ==== crash campaign (issue 12) ===============================================================================
# tests/test_crash.c kills ews-export-items, ews-upload-items and ews-sync-folder-items, tests/test_backup.c
# ews-backup (backup and restore), with SIGKILL at random moments against a slowed ewsd and checks 0 lost /
# 0 duplicated after each rerun. `make check` runs them short (2-3 cycles per tool); this runs CRASH_CYCLES
# (default 100) per tool. CRASH_SEED=N repeats a test_crash campaign.
CRASH_CYCLES ?= 100
check-crash: build $(BUILD)/tests/test_crash $(BUILD)/tests/test_backup
	@EWS_BUILD=$(BUILD) EWS_SHARED=$(SHARED_DIR) EWS_CRASH_CYCLES=$(CRASH_CYCLES) \
		$(if $(CRASH_SEED),EWS_CRASH_SEED=$(CRASH_SEED)) tests/run-suites.sh $(BUILD)/tests/test_crash \
		$(BUILD)/tests/test_backup
.PHONY: check-crash
# ==== end of the crash campaign section ========================================================================

# ==== autodiscover (issue 16 point 1) =========================================================================
# runtime/core/ews_autodiscover_srv.c asks the system resolver for the _autodiscover._tcp SRV record (res_query).
LDLIBS_ALL += -lresolv
# ==== end of the autodiscover section ==========================================================================

# ==== gzip answers inflated whole (issue 12 point 6, issue 13) ==================================================
# runtime/core/ews_body.c inflates an EWS answer's gzip body in one go with libdeflate when <libdeflate.h> is there
# (__has_include): 3-4x zlib's speed, which gSOAP feeds 64 KiB at a time (an ExportItems batch: a third of the
# client's CPU). Optional: `deps` tries to install it once per tree (build/.optional-packages-tried), and a
# machine where that fails (no network, NO_DEPS=1) still builds, gSOAP's zlib inflating as before. Linked when
# the header is there, looked for at each link (the first make of a fresh machine installs it after reading this).
DEB_OPTIONAL  := libdeflate-dev
DEFLATE_LIBS   = $(if $(wildcard /usr/include/libdeflate.h),-ldeflate)
LDLIBS_ALL    += $(DEFLATE_LIBS)
# ==== end of the gzip section ==================================================================================

# ==== ewsd kept statements (issue 13 point 4 / issue 12 point 6) ==============================================
# tests/test_ewsd_stmt.c tests server/stmt.c alone: it links that object (the pattern rule links no server object).
$(BUILD)/tests/test_ewsd_stmt: tests/test_ewsd_stmt.c $(BUILD)/obj/server/stmt.o $(LIB_TEST_COMMON) $(wildcard tests/common/*.h) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(CLI_INCLUDES) -Iserver -Itests/common -o $@ $< $(BUILD)/obj/server/stmt.o $(LIB_TEST_COMMON) \
		$(LIB_A) $(LDLIBS_ALL) -lcunit $(LIB_A)
# ==== end of the ewsd kept statements section =================================================================
# ==== Negotiate/Kerberos (issue 16 point 2) ===================================================================
# runtime/core/ews_negotiate.c (client) and server/gss_server.c (ewsd) use MIT krb5's GSSAPI (libgssapi-krb5-2,
# headers in libkrb5-dev). The suites start a throw-away MIT KDC (krb5-kdc: krb5kdc, kdb5_util; krb5-admin-server:
# kadmin.local), kinit a user (krb5-user) and log in with curl --negotiate: all only under KRB5_CONFIG & co. in a
# temporary directory (tests/common/ews_test_kdc.c), never the machine's own Kerberos configuration.
KRB5_LIBS      := -lgssapi_krb5 -lkrb5
DEB_PACKAGES   += libkrb5-dev krb5-kdc krb5-admin-server krb5-user
LDLIBS_ALL     += $(KRB5_LIBS)
# ==== end of the Negotiate/Kerberos section ====================================================================
# ==== build speed (issue 11 point 8): a precompiled soapH.h per build tree ======================================
# Every file of the library's upper layers, ewsd, the tools, the suites, the examples and the benches includes
# the generated soapH.h (through ews/ews.h or directly): 2.5 MB for wsdl/, 8.4 MB for V2018, parsed again by each
# of ~110 translation units (V2018: 1.3 s of CPU each, most of a regenerate + build). Instead gcc compiles it once
# per build tree and flag set into $(BUILD)/pch/*/soapH.h.gch, and every such file is compiled with
# `-include soapH.h` found there first (-iquote), which loads the precompiled form (V2018: 1.8 -> 0.75 s for a
# file including ews/ews.h). The soapH.h beside the .gch is a stand-in that includes the real one: what gcc uses
# when the .gch does not fit the flags (-Winvalid-pch says so), and what a later #include "soapH.h" finds, cheaply.
# Two flag sets: CFLAGS_ALL (upper layers, ewsd, tools, suites) and GEN_CFLAGS (the generated files). One .gch
# for both would save 0.9 s of CPU, and gcc accepts the upper layers' .gch for -Og -g0 files, but a .gch brings
# its target options along: the generated code got its unwind tables back (GEN_UNWIND; libews.so stripped 2.83
# -> 3.37 MB). Files that set _GNU_SOURCE themselves get it from the command line now (-D_GNU_SOURCE=, the same
# empty definition), as the precompiled header already brought in the system headers.
# gcc only (clang's precompiled headers are another format: the fuzz tree builds without); PCH= turns it off.
PCH         ?= $(if $(shell $(CC) -dM -E -x c /dev/null 2>/dev/null | grep __clang__),,1)
ifneq ($(PCH),)
PCH_DIR      = $(BUILD)/pch
PCH_FLAGS    = -D_GNU_SOURCE=
# the flags a .gch is made with: the set's own, less what uses the .gch
PCH_MAKE     = $(filter-out -include soapH.h -iquote $(PCH_DIR)/% -Winvalid-pch,$(1))
CFLAGS_ALL  += $(PCH_FLAGS) -iquote $(PCH_DIR)/all -include soapH.h -Winvalid-pch
GEN_CFLAGS  += -iquote $(PCH_DIR)/gen -include soapH.h
# The generated files sit beside the real soapH.h, which their own #include "soapH.h" would find first and open
# again only to skip it (0.8 s of V2018's 1.3: gcc's include-guard shortcut does not cover a precompiled header's
# file). So they are compiled through a symbolic link beside the stand-in, which their #include then finds.
GEN_SRC      = $(PCH_DIR)/gen/$(notdir $(1))
GEN_SRC_LINK = ln -sf $(abspath $(1)) $(call GEN_SRC,$(1))
PCH_ALL      = $(PCH_DIR)/all/soapH.h.gch
PCH_GEN      = $(PCH_DIR)/gen/soapH.h.gch

# $(PCH_DIR)/SET/flags holds the flags the .gch was made with and changes only when they do (OPT=..., CFLAGS=...),
# so a .gch is remade when it would no longer fit; the stand-in header is written with it.
$(PCH_DIR)/%/flags: FORCE
	@mkdir -p $(@D)
	@f='$(CC) $(call PCH_MAKE,$(if $(filter gen,$*),$(GEN_CFLAGS),$(CFLAGS_ALL)))'; \
	[ "$$(cat $@ 2>/dev/null)" = "$$f" ] || printf '%s\n' "$$f" > $@
	@printf '/* stand-in for the precompiled soapH.h.gch beside it (Makefile: build speed) */\n#ifndef soapH_H\n#include "%s"\n#endif\n' \
		'$(abspath $(GEN))/soapH.h' > $(@D)/soapH.h.tmp && \
		{ cmp -s $(@D)/soapH.h.tmp $(@D)/soapH.h && rm -f $(@D)/soapH.h.tmp || mv $(@D)/soapH.h.tmp $(@D)/soapH.h; }

# written beside and renamed into place: a compiler running at the same time never reads half a .gch
$(PCH_DIR)/%/soapH.h.gch: $(PCH_DIR)/%/flags $(GEN)/STAMP
	@echo "  PCH $(GEN)/soapH.h ($*)"
	@$$(cat $<) -x c-header $(GEN)/soapH.h -o $@.tmp && mv $@.tmp $@

.PHONY: FORCE
FORCE:
# kept (made by a pattern rule only, make would delete them as intermediates, and so remake every .gch next time)
.SECONDARY: $(PCH_DIR)/all/flags $(PCH_DIR)/gen/flags

# Everything compiled with those flags waits for its .gch (rules above and in the other sections; an explicit
# target line adds the prerequisite, the pattern rule still gives the recipe).
$(WF_OBJS) $(patsubst runtime/src/%.c,$(BUILD)/obj/runtime/%.o,$(RT_SRCS)) $(CLI_OBJS) $(SRV_OBJS) $(EX_OBJS) \
	$(TEST_BINS) $(TEST_COMMON_OBJS) $(TEACH_OBJS) $(BENCH_PROGS) $(BENCH_TOOLS) $(BENCH_BEFORE): $(PCH_ALL)
$(GEN_OBJS) $(SRVGEN_OBJS) $(BUILD)/obj/gen/ews_builders.o: $(PCH_GEN)
check-layers: $(PCH_ALL)
endif
# `all` (top of this file): in a fresh tree the first make goes on from the generation to the precompiled headers
# and the binding layer, beside the core layer's last files (and the list of names libews.so may export)
all: $(PCH_GEN) $(PCH_ALL) $(CORE_OBJS) $(BIND_OBJS) $(BUILD)/libews.public

# The generated objects follow their flags (git's GIT-CFLAGS idea): a tree built before a change of GEN_CFLAGS
# (WITH_NOIDREF, GEN_OPT=...) would otherwise link old objects with new ones (soap_markelement defined twice).
# The file is rewritten only when the flags differ, so a make with nothing to do rebuilds nothing.
GEN_FLAGS_FILE = $(BUILD)/gen.flags
$(GEN_FLAGS_FILE): FLAGS_FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(GEN_CFLAGS)' | cmp -s - $@ || printf '%s\n' '$(GEN_CFLAGS)' > $@
.PHONY: FLAGS_FORCE
FLAGS_FORCE:
$(GEN_OBJS) $(SRVGEN_OBJS) $(BUILD)/obj/gen/ews_builders.o $(PCH_GEN): $(GEN_FLAGS_FILE)
# Programs and libews.so linked by gold where the compiler driver has it (binutils' second linker): a link takes
# half the CPU of ld.bfd's (libews.so 0.53 -> 0.19 s, ewsd 0.51 -> 0.22 s, a tool 0.2 -> 0.1 s), the same
# symbols and exports, stripped sizes within 0.3%. LD_GOLD= links with the default linker.
ifeq ($(origin LD_GOLD),undefined)
LD_GOLD     := $(shell $(CC) -fuse-ld=gold -Wl,--version 2>/dev/null | grep -q '^GNU gold' && echo -fuse-ld=gold)
endif
LDLIBS_ALL  += $(LD_GOLD)
# ==== end of the build speed section ===========================================================================

# ---- an independent client against ewsd (needs the npm registry; not part of `make check`) ----
.PHONY: check-interop
check-interop: build
	@tests/interop/run.sh $(BUILD)
