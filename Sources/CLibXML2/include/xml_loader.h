#ifndef GAZETTE_XML_LOADER_H
#define GAZETTE_XML_LOADER_H
/* libxml2 is loaded with dlopen the first time a feed or an HTML body is read, never linked: a reader that opens
 * only text archives does not pay for it (libxml2 brings ICU and libstdc++ with it: ~1.6 MB resident and 0.4 ms of
 * start-up, DESIGN.md section 3). The headers give the types and constants; every function is called through a
 * table of pointers filled by dlsym (xml_html.h, xml_sax.h). */
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so encoding.h would include ICU's headers, whose UErrorCode clashes with the
 * copy of ICU inside Foundation when one module sees both (the generated test runner does). Nothing here uses
 * the ICU part of libxml2's API (encoding handlers are only ever handled through pointers). */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/SAX2.h>

/* The handle of libxml2.so.2 (loaded once, thread-safe), or NULL when it cannot be loaded. */
void *gazette_libxml2_handle(void);
/* Why loading failed (dlerror's text), or NULL. */
const char *gazette_libxml2_error(void);
/* dlsym in libxml2, or NULL. */
void *gazette_libxml2_symbol(const char *name);
#endif
