/* test_prepass.c — the one pass before gSOAP (runtime/core/ews_xml_prepass.c) does exactly what the three passes it
 * replaced did: the same sanitized bytes as ews_xml_sanitize() had, the same depth verdict as ews_xml_depth_exceeds()
 * over those bytes, the same mixed-content offset as ews_xml_mixed_content(). The three old passes are kept in
 * tests/common/prepass_oracle.c, verbatim, as the oracle; they are compared on the shared corpus, the seeds' XML, the fuzz regressions, crafted
 * edge cases cut at every length, and random tag/reference soups. */
#define _GNU_SOURCE /* memmem */
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "ews/sanitize.h"
#include "ews_internal.h"
#include "ews_test.h"
#include "prepass_oracle.h"

/* ==== the comparison ==== */

static long compared, mismatches;

/* Old and new on copies of s[0..len) at depth cap `cap`: 1 when everything agrees (the first few differences are
 * printed, with the input, so a failure says what to look at). */
static int agrees(const char *s, size_t len, int cap)
{
	char *a = malloc(len + 1), *b = malloc(len + 1), *c = malloc(len + 1);
	ews_xml_prepass_result r, again;
	size_t la, lb, lc;
	int da, ok;
	long ma;

	if (!a || !b || !c) {
		free(a), free(b), free(c);
		return 0;
	}
	memcpy(a, s, len);
	memcpy(b, s, len);
	memcpy(c, s, len);
	la = oracle_xml_sanitize(a, len);
	da = oracle_xml_depth_exceeds(a, la, cap);
	ma = oracle_xml_mixed_content(a, la);
	lb = ews_xml_prepass(b, len, cap, &r);
	lc = ews_xml_sanitize(c, len);
	ews_xml_markup(a, la, cap, &again);
	ok = la == lb && !memcmp(a, b, la) && da == r.too_deep && ma == r.mixed_at && lc == la && !memcmp(a, c, la) &&
	     again.too_deep == da && again.mixed_at == ma && (r.deep_at >= 0) == r.too_deep;
	compared++;
	if (!ok && ++mismatches <= 5)
		fprintf(stderr, "prepass differs (cap %d): len %zu/%zu bytes %s depth %d/%d mixed %ld/%ld on: %.*s\n",
		        cap, la, lb, la == lb && !memcmp(a, b, la) ? "same" : "differ", da, r.too_deep, ma, r.mixed_at,
		        (int)(len > 400 ? 400 : len), s);
	free(a), free(b), free(c);
	return ok;
}

/* At the caps that matter: none, the usual one, and tight ones so that the depth verdict goes both ways. */
static int agrees_at_all_caps(const char *s, size_t len)
{
	static const int caps[] = { INT_MAX, 200, 8, 3, 1, 0 };
	int ok = 1;
	for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++)
		ok &= agrees(s, len, caps[k]);
	return ok;
}

/* Every prefix too: a reference, a comment or a tag cut at the end of the buffer. */
static int agrees_at_every_length(const char *s)
{
	size_t n = strlen(s);
	int ok = 1;
	for (size_t k = 0; k <= n; k++)
		ok &= agrees_at_all_caps(s, k);
	return ok;
}

static long files_seen;

static int compare_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t len, n = strlen(path);
	char *p;

	(void)st, (void)ftw;
	if (type != FTW_F || n < 4 || strcmp(path + n - 4, ".xml"))
		return 0;
	if ((p = ews_test_read_file(path, &len)) != NULL) {
		if (!agrees_at_all_caps(p, len))
			fprintf(stderr, "  (in %s)\n", path);
		files_seen++;
		free(p);
	}
	return 0;
}

static void the_corpus_passes_the_same_as_before(void)
{
	mismatches = 0;
	files_seen = 0;
	CU_ASSERT_EQUAL(nftw(ews_test_shared_path("ews-corpus"), compare_file, 16, FTW_PHYS), 0);
	CU_ASSERT(files_seen > 100);
	CU_ASSERT_EQUAL(mismatches, 0);
}

static void the_fuzz_regressions_pass_the_same_as_before(void)
{
	long before = files_seen;
	mismatches = 0;
	CU_ASSERT_EQUAL(nftw("tests/fuzz/regressions", compare_file, 16, FTW_PHYS), 0);
	CU_ASSERT(files_seen > before);
	CU_ASSERT_EQUAL(mismatches, 0);
}

static void the_seeds_xml_passes_the_same_as_before(void)
{
	DIR *d = opendir(ews_test_shared_path("seeds"));
	struct dirent *e;
	char dir[4096];
	int blocks_seen = 0;

	mismatches = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	snprintf(dir, sizeof dir, "%s", ews_test_shared_path("seeds"));
	while ((e = readdir(d)) != NULL) {
		char path[8192], **blocks, *text;
		int n;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!(text = ews_test_read_file(path, NULL)))
			continue;
		n = ews_test_xml_blocks(text, &blocks);
		for (int k = 0; k < n; k++)
			agrees_at_all_caps(blocks[k], strlen(blocks[k]));
		blocks_seen += n;
		ews_test_free_blocks(blocks, n);
		free(text);
	}
	closedir(d);
	CU_ASSERT(blocks_seen > 0);
	CU_ASSERT_EQUAL(mismatches, 0);
}

/* Shapes where sanitizing and the markup scan could disagree, each cut at every length. */
static const char *const edge_cases[] = {
	/* references, split anywhere by the cuts */
	"<a>x&#x0;y&#0;z&#x1A;&#xD800;&#xFFFE;&#x110000;&#99999999999999999999;</a>",
	"<a>&#xE9;&#233;&#x1F600;&#x0003C;&#0000060;&#x3C;&#60;&#x;&#;&#x41&amp;&lt;</a>",
	"<a b='&#x0;' c=\"&#x0003E;\" d='&#xE9;/'/><e f=&#x41;/>",
	"<a>&#x0;</a>&#x0;<b>&#x00041;<c/>",
	/* https envelope URI, inside and outside tags */
	"<s:Envelope xmlns:s=\"https://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>",
	"<a>https://schemas.xmlsoap.org/soap/envelope/<b/></a><c x=https://schemas.xmlsoap.org/soap/envelope/>",
	"<d https://schemas.xmlsoap.org/soap/envelope/><e/></d>",
	/* CDATA and comments, empty, holding markup, unterminated, in text and inside tags */
	"<a><![CDATA[]]><b/></a><a><![CDATA[x]]><b/></a><a><![CDATA[<c>&#x0;]]]]></a>",
	"<a><!-- <b> &#x0; --><c/><!----><!-- x -- y --></a>",
	"<a><!--><b>--><c/></a><a><!---><b>--><c/></a><!-->",
	"<a x='<!--'><b/>--></a><a x=\"<![CDATA[\"><b/>]]></a>",
	"<a <!-- > --> <b/></a></c <!-- > -->x<d/>",
	"<? <!-- ?> --> <a/><!DOCTYPE a <![CDATA[ > ]]> x<b/>",
	"<a><![CDATA[unterminated <b> &#x0;",
	"<a><!-- unterminated <b> &#x0;",
	/* processing instructions and declarations */
	"<?xml version=\"1.0\"?><!DOCTYPE x><a><?pi x?>t<b/></a>",
	/* attributes with '>' and quotes */
	"<a x='>' y=\">'\" z='\"'>t<b/></a><c q=\"/\"/><d q='/'>x</d>",
	"<a x='unterminated><b/></a>",
	"<a/ ><b /><c/>text<d></d>",
	/* nesting exactly at, and one beyond, the tight caps */
	"<a><b><c></c></b></a><a><b><c><d/></c></b></a><a><b><c><d></d></c></b></a>",
	"<a>< b><c",
	"</a></b><c><d><e>",
	/* mixed content, and where it is allowed */
	"<t:ExtendedProperty>x<t:ExtendedFieldURI PropertyTag=\"0x1\"/><t:Value>v</t:Value></t:ExtendedProperty>",
	"<a>  \r\n\t<b/>  </a><c>text</c><d><e/>tail</d>",
	"<s:Fault><detail>text<e:X>y<z/></e:X>more<q/></detail><f>x<g/></f></s:Fault>",
	"<m:MessageXml>a<b>c<d/></b>e<f/></m:MessageXml>",
	"<x:detail/>t<y/><detail x='1'>t<q/></detail><detailed>t<q/></detailed>",
	"<a>&#x0;<b/></a><a>&amp;<b/></a><a>h<b/></a><a>https://schemas.xmlsoap.org/soap/envelope/<b/></a>",
	"<a>\xC3\xA9<b/></a>",
	NULL
};

static void the_edge_cases_pass_the_same_as_before_at_every_length(void)
{
	mismatches = 0;
	for (int k = 0; edge_cases[k]; k++)
		CU_ASSERT(agrees_at_every_length(edge_cases[k]));
	CU_ASSERT_EQUAL(mismatches, 0);
}

/* Soups of the pieces that matter, so that they meet in every order (a fixed seed: the same soups each run). */
static void random_soups_pass_the_same_as_before(void)
{
	static const char *const pieces[] = {
		"<a>", "</a>", "<b:detail>", "</b:detail>", "<MessageXml>", "<c/>", "<d x='>'>", "<e y=\"'\"/>",
		"<!--", "-->", "<!-->", "<![CDATA[", "]]>", "<?p ", "?>", "<!D ", ">", "/", "'", "\"", " ", "\n",
		"t", "h", "&#x0;", "&#xE9;", "&#x0003C;", "&#", "x1", ";", "&", "https://schemas.xmlsoap.org/soap/envelope/",
		"<", "<f", " g='", "'/>", "\xEF\xBF\xBD",
	};
	unsigned long seed = 13;
	char soup[2048];

	mismatches = 0;
	for (int round = 0; round < 4000; round++) {
		size_t n = 0;
		int count;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		count = 1 + (int)(seed >> 33) % 40;
		for (int k = 0; k < count; k++) {
			const char *p;
			size_t pl;
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			p = pieces[(seed >> 33) % (sizeof pieces / sizeof pieces[0])];
			pl = strlen(p);
			if (n + pl >= sizeof soup)
				break;
			memcpy(soup + n, p, pl);
			n += pl;
		}
		agrees_at_all_caps(soup, n);
	}
	CU_ASSERT_EQUAL(mismatches, 0);
}

/* Beside the oracle, what the verdicts are on a few plain cases (so the oracle itself is pinned down too). */
static void the_verdicts_are_those_expected(void)
{
	char deep[] = "<a><b><c/></b></a>", mixed[] = "<a>&#x0;<b/></a>", fine[] = "<a><b>t</b> </a>";
	ews_xml_prepass_result r;
	size_t n;

	ews_xml_prepass(deep, strlen(deep), 2, &r);
	CU_ASSERT_FALSE(r.too_deep);  /* exactly at the cap: a self-closed element adds no level */
	ews_xml_prepass(deep, strlen(deep), 1, &r);
	CU_ASSERT_TRUE(r.too_deep);
	CU_ASSERT_EQUAL(r.deep_at, 3);
	n = ews_xml_prepass(mixed, strlen(mixed), 200, &r);
	CU_ASSERT_EQUAL(n, strlen("<a>\xEF\xBF\xBD<b/></a>"));
	CU_ASSERT_EQUAL(memcmp(mixed, "<a>\xEF\xBF\xBD<b/></a>", n), 0);
	CU_ASSERT_EQUAL(r.mixed_at, 3);
	ews_xml_prepass(fine, strlen(fine), 200, &r);
	CU_ASSERT_EQUAL(r.mixed_at, -1);
	CU_ASSERT_FALSE(r.too_deep);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the verdicts are those expected on plain cases", the_verdicts_are_those_expected },
		{ "the edge cases pass the same as before at every length",
		  the_edge_cases_pass_the_same_as_before_at_every_length },
		{ "the shared corpus passes the same as before", the_corpus_passes_the_same_as_before },
		{ "the fuzz regressions pass the same as before", the_fuzz_regressions_pass_the_same_as_before },
		{ "the seeds' XML passes the same as before", the_seeds_xml_passes_the_same_as_before },
		{ "random soups pass the same as before", random_soups_pass_the_same_as_before },
		{ NULL, NULL }
	};
	return ews_test_run("prepass", cases);
}
