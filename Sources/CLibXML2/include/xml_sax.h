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
} gazette_xml_sax_api;

/* The table, or NULL when libxml2 (or one of these functions) is missing. Loaded once; thread-safe. */
const gazette_xml_sax_api *gazette_xml_sax(void);
#endif
