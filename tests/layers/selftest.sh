#!/bin/sh
# selftest.sh — check-layers.sh must fail on each kind of back edge and pass a clean tree: tiny objects in a
# scratch build tree (core -> generated, core -> workflows, generated -> workflows, libews holding a cli object).
set -u
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
t=$(mktemp -d "${TMPDIR:-/tmp}/ews-layers-selftest.XXXXXX")
trap 'rm -rf "$t"' EXIT
bad=0

obj() { # obj LAYER NAME CODE
	mkdir -p "$t/$case/obj/$1"
	printf '%s\n' "$3" > "$t/$case/$2.c"
	$CC -c -o "$t/$case/obj/$1/$2.o" "$t/$case/$2.c" || exit 2
}
clean_tree() {
	obj core call 'int ews_core_fn(void) { return 1; }'
	obj gen ops 'int ews_core_fn(void); int ews_gen_fn(void) { return ews_core_fn(); }'
	obj workflows pager 'int ews_gen_fn(void); int ews_core_fn(void); int ews_wf_fn(void) { return ews_gen_fn() + ews_core_fn(); }'
	obj cli cli 'int ews_cli_fn(void) { return 3; }'
	ar rcs "$t/$case/libews.a" "$t/$case"/obj/core/*.o "$t/$case"/obj/gen/*.o "$t/$case"/obj/workflows/*.o
}
expect() { # expect ok|fail WHAT
	if "$here/check-layers.sh" "$t/$case" > "$t/$case.out" 2>&1; then got=ok; else got=fail; fi
	if [ "$got" != "$1" ]; then
		echo "check-layers selftest: $2: expected $1, got $got"; cat "$t/$case.out"; bad=1
	fi
}

case=clean; clean_tree; expect ok "a tree without back edges"
case=core-gen; clean_tree
obj core headers 'int ews_gen_fn(void); int ews_core_hdr(void) { return ews_gen_fn(); }'
expect fail "core calling a generated function"
case=core-wf; clean_tree
obj core fault 'extern int ews_wf_data; int ews_core_flt(void) { return ews_wf_data; }'
obj workflows view 'int ews_wf_data = 4;'
expect fail "core reading a workflows variable"
case=gen-wf; clean_tree
obj binding glue 'int ews_wf_fn(void); int ews_bind_fn(void) { return ews_wf_fn(); }'
expect fail "the generated layer calling a workflow"
case=cli-in-lib; clean_tree
ar rcs "$t/$case/libews.a" "$t/$case"/obj/cli/*.o
expect fail "libews holding the tools' cli support"
[ $bad = 0 ] && echo "check-layers selftest: ok (a clean tree passes; 4 kinds of back edge fail)"
exit $bad
