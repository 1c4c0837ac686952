#!/bin/sh
# fetch-gsoap-source.sh DIR — put gSOAP's runtime sources (stdsoap2.c, dom.c, stdsoap2.h) of exactly the
# installed libgsoap-dev version into DIR, from Debian's gsoap source package. The fuzzers compile them with
# coverage instrumentation: the prebuilt libgsoapssl is invisible to libFuzzer, and the XML parser is most of
# what a malformed message exercises.
#
# The machine's apt configuration is not touched: a deb-src list, apt's lists and cache live in a temporary
# directory for this one download (apt-get source --download-only), which is removed afterwards.
set -eu
dir=$1
version=$(dpkg-query -W -f='${Version}' libgsoap-dev)
upstream=${version%-*}
upstream=${upstream#*:}
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
tmp=$(mktemp -d /tmp/ews-gsoap-src.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/lists/partial" "$tmp/parts" "$tmp/cache/archives/partial"
cat > "$tmp/sources.list" <<EOS
deb-src http://deb.debian.org/debian $suite main
EOS
apt_opts="-o Dir::Etc::SourceList=$tmp/sources.list -o Dir::Etc::SourceParts=$tmp/parts \
-o Dir::State::Lists=$tmp/lists -o Dir::Cache=$tmp/cache -o APT::Sandbox::User=root"
sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
echo "fetching Debian's gsoap $version source package (stdsoap2.c for the fuzzers)"
# shellcheck disable=SC2086
$sudo apt-get $apt_opts update -qq
# shellcheck disable=SC2086
(cd "$tmp" && $sudo apt-get $apt_opts source --download-only -qq "gsoap=$version" >/dev/null)
mkdir -p "$dir"
tar -xzf "$tmp/gsoap_$upstream.orig.tar.gz" -C "$tmp" \
	"gsoap-$upstream/gsoap/stdsoap2.c" "gsoap-$upstream/gsoap/dom.c" "gsoap-$upstream/gsoap/stdsoap2.h"
# Debian's patches touch only the build system; the installed header must be the one these sources go with.
cmp -s "$tmp/gsoap-$upstream/gsoap/stdsoap2.h" /usr/include/stdsoap2.h || {
	echo "fetch-gsoap-source: gsoap $version source does not match /usr/include/stdsoap2.h" >&2
	exit 1
}
cp "$tmp/gsoap-$upstream/gsoap/stdsoap2.c" "$tmp/gsoap-$upstream/gsoap/dom.c" \
	"$tmp/gsoap-$upstream/gsoap/stdsoap2.h" "$dir/"
echo "gsoap $version" > "$dir/VERSION"
