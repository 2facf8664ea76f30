#ifndef GAZETTE_XML_SAX_H
#define GAZETTE_XML_SAX_H
#include "xml_loader.h"

/* The functions the Feeds module calls (the SAX2 push parser for RSS, RDF and Atom), resolved with dlsym. */
typedef struct {
    xmlParserCtxtPtr (*xmlCreatePushParserCtxt)(xmlSAXHandlerPtr sax, void *user_data, const char *chunk, int size,
                                                const char *filename);
    int (*xmlParseChunk)(xmlParserCtxtPtr ctxt, const char *chunk, int size, int terminate);
    void (*xmlFreeParserCtxt)(xmlParserCtxtPtr ctxt);
    int (*xmlCtxtUseOptions)(xmlParserCtxtPtr ctxt, int options);
    int (*xmlSAXVersion)(xmlSAXHandler *hdlr, int version);
    void (*xmlStopParser)(xmlParserCtxtPtr ctxt);
    long (*xmlByteConsumed)(xmlParserCtxtPtr ctxt);
    xmlErrorPtr (*xmlCtxtGetLastError)(void *ctx);
    /* The document's own entities (declared in its internal subset), for the reader's getEntity callback. */
    xmlEntityPtr (*xmlSAX2GetEntity)(void *ctx, const xmlChar *name);
    /* The document the default startDocument callback creates to hold the DTD: the push parser does not free it. */
    void (*xmlFreeDoc)(xmlDocPtr doc);
    void (*xmlSetGenericErrorFunc)(void *ctx, xmlGenericErrorFunc handler);
} gazette_xml_sax_api;

/* Makes `handler`'s printf-style error callbacks (which Swift cannot write: they are variadic) do nothing, so that
 * libxml2 never writes to the terminal; the structured `serror` callback is where the reader learns of errors. */
void gazette_xml_sax_quiet_handler(xmlSAXHandler *handler);

/* Silences libxml2's generic error channel (per thread in libxml2) on the calling thread. Call before parsing. */
void gazette_xml_sax_quiet_thread(void);

/* The table, or NULL when libxml2 (or one of these functions) is missing. Loaded once; thread-safe. */
const gazette_xml_sax_api *gazette_xml_sax(void);
#endif
