/* An issued document as DOCX (WordprocessingML in a zip written with libzip):
 * the official layout — 기관명 at the top, 수신/(경유)/제목, the body, 붙임,
 * 발신명의, then 담당자, 시행 번호·일자 and the contact line — on an A4 page.
 * The document's text is already escaped (&amp; &lt; …) by the renderer,
 * which is valid XML character data; the letterhead is escaped here. */
#include "bizsos/docx.h"
#include "bizsos/buf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>";

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
    "core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "</Relationships>";

static const char DOC_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/>"
    "</Relationships>";

static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Malgun Gothic\" w:hAnsi=\"Malgun Gothic\" w:eastAsia=\"맑은 고딕\" "
    "w:cs=\"Malgun Gothic\"/><w:sz w:val=\"24\"/><w:lang w:val=\"ko-KR\" "
    "w:eastAsia=\"ko-KR\"/></w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"60\" w:line=\"360\" "
    "w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
    "w:val=\"Normal\"/></w:style>"
    "</w:styles>";

/* Appends s (plain text) XML-escaped. */
static void esc(struct buf *b, const char *s)
{
	buf_html_escape(b, s ? s : "", strlen(s ? s : ""));
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* One paragraph: align (NULL: left), size in half-points (0: default), bold;
 * text is already escaped when pre is true. Line breaks start new runs with <w:br/>. */
static void para(struct buf *b, const char *align, int size, bool bold, const char *text, bool pre,
                 const char *border)
{
	buf_puts(b, "<w:p><w:pPr>");
	if (border)
		buf_printf(b,
		           "<w:pBdr><w:%s w:val=\"single\" w:sz=\"12\" w:space=\"4\" "
		           "w:color=\"000000\"/></w:pBdr>",
		           border);
	if (align)
		buf_printf(b, "<w:jc w:val=\"%s\"/>", align);
	buf_puts(b, "</w:pPr><w:r><w:rPr>");
	if (bold)
		buf_puts(b, "<w:b/>");
	if (size)
		buf_printf(b, "<w:sz w:val=\"%d\"/>", size);
	buf_puts(b, "</w:rPr><w:t xml:space=\"preserve\">");
	for (const char *p = text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			buf_puts(b, "</w:t><w:br/><w:t xml:space=\"preserve\">");
			continue;
		}
		if (pre)
			buf_putc(b, *p);
		else {
			char one[2] = {*p, 0};
			esc(b, one);
		}
	}
	buf_puts(b, "</w:t></w:r></w:p>");
}

/* A labelled line: "수신  <value>" with the label bold. */
static void labelled(struct buf *b, const char *label, const char *value, bool pre)
{
	buf_puts(b, "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">");
	esc(b, label);
	buf_puts(b, "  </w:t></w:r><w:r><w:t xml:space=\"preserve\">");
	if (pre)
		buf_puts(b, value);
	else
		esc(b, value);
	buf_puts(b, "</w:t></w:r></w:p>");
}

static void document_xml(struct buf *b, const json_t *d)
{
	const json_t *lh = json_object_get(d, "letterhead");
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
	            "main\"><w:body>");
	para(b, "center", 36, true, str(lh, "org_name"), false, NULL);
	para(b, NULL, 0, false, "", false, NULL);
	labelled(b, "수신", str(d, "recipient"), true);
	labelled(b, "(경유)", "", false);
	labelled(b, "제목", str(d, "title"), true);
	para(b, NULL, 0, false, "", false, "top");
	para(b, "both", 0, false, str(d, "body"), true, NULL);
	const char *att = str(d, "attachments");
	para(b, NULL, 0, false, "", false, NULL);
	if (*att) {
		buf_puts(b, "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">붙임  "
		            "</w:t></w:r><w:r><w:t xml:space=\"preserve\">");
		buf_puts(b, att);
		buf_puts(b, "  끝.</w:t></w:r></w:p>");
	} else
		para(b, "right", 0, false, "끝.", false, NULL);
	para(b, NULL, 0, false, "", false, NULL);
	para(b, "center", 40, true, str(lh, "sender"), false, NULL);
	para(b, NULL, 0, false, "", false, "bottom");
	char line[512];
	snprintf(line, sizeof(line), "담당자 %s", str(d, "staff_name"));
	para(b, NULL, 20, false, line, false, NULL);
	const char *no = str(d, "doc_no");
	snprintf(line, sizeof(line), "시행 %s (%s)    접수", *no ? no : "(발행 전)",
	         str(d, "issued_on_text"));
	para(b, NULL, 20, false, line, false, NULL);
	snprintf(line, sizeof(line), "%s", str(lh, "address"));
	para(b, NULL, 20, false, line, false, NULL);
	para(b, NULL, 20, false, str(d, "contact_line"), false, NULL);
	/* A4 portrait, 2 cm margins */
	buf_puts(b, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" "
	            "w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" "
	            "w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
}

static bool add_part(zip_t *z, const char *name, const char *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(z, data, len, 0);
	if (s == NULL)
		return false;
	if (zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		return false;
	}
	return true;
}

bz_rc docx_document(const json_t *doc, const char *tmp_dir, int *fd, int64_t *size)
{
	*fd = -1;
	char file[4200];
	if ((size_t)snprintf(file, sizeof(file), "%s/docx-XXXXXX", tmp_dir) >= sizeof(file))
		return BZ_ERR_IO;
	int t = mkstemp(file);
	if (t < 0)
		return BZ_ERR_IO;
	close(t);
	struct buf body, core;
	buf_init(&body, 8 * 1024 * 1024);
	buf_init(&core, 8192);
	document_xml(&body, doc);
	buf_puts(&core, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	                "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
	                "2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/"
	                "1.1/\"><dc:title>");
	buf_puts(&core, str(doc, "title"));
	buf_puts(&core, "</dc:title><dc:creator>");
	esc(&core, str(json_object_get(doc, "letterhead"), "org_name"));
	buf_puts(&core, "</dc:creator><dc:language>ko-KR</dc:language></cp:coreProperties>");
	bz_rc rc = BZ_OK;
	int err = 0;
	zip_t *z = NULL;
	if (body.failed || core.failed)
		rc = BZ_ERR_NOMEM;
	else if ((z = zip_open(file, ZIP_TRUNCATE, &err)) == NULL)
		rc = BZ_ERR_IO;
	else if (!add_part(z, "[Content_Types].xml", CONTENT_TYPES, sizeof(CONTENT_TYPES) - 1) ||
	         !add_part(z, "_rels/.rels", ROOT_RELS, sizeof(ROOT_RELS) - 1) ||
	         !add_part(z, "word/_rels/document.xml.rels", DOC_RELS, sizeof(DOC_RELS) - 1) ||
	         !add_part(z, "word/styles.xml", STYLES, sizeof(STYLES) - 1) ||
	         !add_part(z, "word/document.xml", body.s, body.len) ||
	         !add_part(z, "docProps/core.xml", core.s, core.len)) {
		zip_discard(z);
		z = NULL;
		rc = BZ_ERR_IO;
	}
	if (z && zip_close(z) != 0) {
		zip_discard(z);
		rc = BZ_ERR_IO;
	}
	buf_free(&body);
	buf_free(&core);
	if (rc == BZ_OK) {
		int f = open(file, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (f < 0 || fstat(f, &st) != 0) {
			if (f >= 0)
				close(f);
			rc = BZ_ERR_IO;
		} else {
			*fd = f;
			*size = (int64_t)st.st_size;
		}
	}
	unlink(file);
	return rc;
}
