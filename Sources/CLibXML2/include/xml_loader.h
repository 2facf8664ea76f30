#ifndef GAZETTE_XML_LOADER_H
#define GAZETTE_XML_LOADER_H
/* libxml2 is loaded with dlopen the first time a feed or an HTML body is read, never linked: a reader that opens
 * only text archives does not pay for it (libxml2 brings ICU and libstdc++ with it: ~1.6 MB resident and 0.4 ms of
 * start-up, DESIGN.md section 3). The headers give the types and constants; every function is called through a
 * table of pointers filled by dlsym (xml_html.h, xml_sax.h). */
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
