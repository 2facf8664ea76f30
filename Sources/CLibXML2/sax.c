#include "xml_sax.h"
#include <pthread.h>

static gazette_xml_sax_api api;
static int complete;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    if (!gazette_libxml2_handle()) return;
    api.xmlCreatePushParserCtxt = gazette_libxml2_symbol("xmlCreatePushParserCtxt");
    api.xmlParseChunk = gazette_libxml2_symbol("xmlParseChunk");
    api.xmlFreeParserCtxt = gazette_libxml2_symbol("xmlFreeParserCtxt");
    api.xmlCtxtUseOptions = gazette_libxml2_symbol("xmlCtxtUseOptions");
    api.xmlSAXVersion = gazette_libxml2_symbol("xmlSAXVersion");
    api.xmlStopParser = gazette_libxml2_symbol("xmlStopParser");
    api.xmlByteConsumed = gazette_libxml2_symbol("xmlByteConsumed");
    api.xmlCtxtGetLastError = gazette_libxml2_symbol("xmlCtxtGetLastError");
    complete = api.xmlCreatePushParserCtxt && api.xmlParseChunk && api.xmlFreeParserCtxt && api.xmlCtxtUseOptions
        && api.xmlSAXVersion && api.xmlStopParser && api.xmlByteConsumed && api.xmlCtxtGetLastError;
}

const gazette_xml_sax_api *gazette_xml_sax(void) {
    pthread_once(&once, load);
    return complete ? &api : NULL;
}
