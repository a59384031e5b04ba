// SPDX-License-Identifier: MIT
/*
 * The HTML renderer of the report model: one self-contained page (no
 * network, no external script or font) with every picture of the report
 * as inline SVG, and the report's text below. Hover details are SVG
 * <title> elements, which a browser shows without a script; a small
 * script also shows them in a box that follows the pointer, and records
 * any script error in the page (#console-errors) so a headless browser's
 * DOM dump shows it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/picture.h"

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<script>\n"
	"window.confmemErrors = [];\n"
	"function confmemError(m) {\n"
	"  window.confmemErrors.push(String(m));\n"
	"  var e = document.getElementById('console-errors');\n"
	"  if (e) e.textContent = window.confmemErrors.join('\\n');\n"
	"}\n"
	"window.onerror = function (m, src, line) { confmemError(m + ' (' + line + ')'); };\n"
	"(function () { var e = console.error; console.error = function () {\n"
	"  confmemError(Array.prototype.join.call(arguments, ' ')); e.apply(console, arguments); }; })();\n"
	"</script>\n"
	"<style>\n"
	"body{font-family:DejaVu Sans,Liberation Sans,Arial,sans-serif;margin:16px;color:#222;background:#fff}\n"
	"h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 6px}\n"
	".note{color:#555;font-size:13px;margin:0 0 8px}\n"
	"svg.picture{border:1px solid #e4e4e4;background:#fff;display:block}\n"
	"pre{background:#f7f7f7;border:1px solid #e4e4e4;padding:8px;font-size:12px;overflow:auto}\n"
	"#console-errors:empty{display:none}#console-errors{color:#c00}\n"
	"#hover{position:fixed;display:none;pointer-events:none;background:#ffffe8;border:1px solid #999;"
	"padding:4px 6px;font-size:12px;max-width:480px;white-space:pre-wrap}\n"
	"</style>\n";

/* Show a shape's <title> in a box that follows the pointer (the browser's own tooltip works without it). */
static const char html_tail_script[] =
	"<script>\n"
	"(function () {\n"
	"  var box = document.getElementById('hover');\n"
	"  document.addEventListener('mousemove', function (ev) {\n"
	"    var t = ev.target, title = null;\n"
	"    while (t && t.nodeType === 1 && !title) {\n"
	"      for (var c = t.firstElementChild; c; c = c.nextElementSibling)\n"
	"        if (c.tagName === 'title') { title = c.textContent; break; }\n"
	"      t = t.parentNode;\n"
	"    }\n"
	"    if (!title) { box.style.display = 'none'; return; }\n"
	"    box.textContent = title; box.style.display = 'block';\n"
	"    box.style.left = (ev.clientX + 14) + 'px'; box.style.top = (ev.clientY + 14) + 'px';\n"
	"  });\n"
	"  document.body.setAttribute('data-pictures', String(document.querySelectorAll('svg.picture').length));\n"
	"  document.body.setAttribute('data-ready', '1');\n"
	"})();\n"
	"</script>\n";

static void escape_text(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '&')
			fputs("&amp;", f);
		else if (s[i] == '<')
			fputs("&lt;", f);
		else if (s[i] == '>')
			fputs("&gt;", f);
		else
			fputc(s[i], f);
	}
}

static int html_picture(const struct pic_drawer *d, const char *svg, size_t len, int width, int height, void *ctx)
{
	FILE *f = ctx;

	fprintf(f, "<section class=\"picture\" data-picture=\"%s\">\n<h2>%s</h2>\n", d->name, d->title);
	fprintf(f, "<svg class=\"picture\" data-picture=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\">\n", d->name, width, height, width, height);
	fputs(pic_svg_style(), f);
	fwrite(svg, 1, len, f);
	fputs("</svg>\n</section>\n", f);
	return 0;
}

/* The command the report is of: the document's JSON key ("report", "plan", "sim", "nodes"). */
static const char *report_name(const struct cm_report *r)
{
	for (const struct cm_report_item *c = r->document.first; c; c = c->next)
		if (c->key)
			return c->key;
	return "report";
}

/* The report as text, in a <pre>. */
static int html_text(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *text = open_memstream(&buf, &len);
	int ret;

	if (!text)
		return -ENOMEM;
	ret = cm_report_render(r, "text", style, text);
	if (fclose(text) && !ret)
		ret = -ENOMEM;
	if (!ret) {
		fputs("<h2>The report as text</h2>\n<pre id=\"report-text\">", f);
		escape_text(f, buf, len);
		fputs("</pre>\n", f);
	}
	free(buf);
	return ret;
}

static int html_render(const struct cm_report *r, const struct cm_report_style *style, FILE *f)
{
	const char *name = report_name(r);
	int ret;

	fputs(html_head, f);
	fprintf(f, "<title>confmem %s</title>\n</head>\n<body>\n<h1>confmem %s</h1>\n", name, name);
	fputs("<p class=\"note\">Point at any shape for its details (its tooltip). Drawn by confmem from the same "
	      "model as its text and JSON; the address axis is to scale except where marked broken.</p>\n"
	      "<pre id=\"console-errors\"></pre>\n", f);
	ret = pic_for_each(r, html_picture, f);
	if (!ret)
		ret = html_text(r, style, f);
	if (ret)
		return ret;
	fputs("<div id=\"hover\"></div>\n", f);
	fputs(html_tail_script, f);
	fputs("</body>\n</html>\n", f);
	return ferror(f) ? -EIO : 0;
}

const struct cm_report_renderer_operations cm_report_html_ops = {
	.name = "html",
	.render = html_render,
};
