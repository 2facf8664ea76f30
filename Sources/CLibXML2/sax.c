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
    api.xmlSAX2GetEntity = gazette_libxml2_symbol("xmlSAX2GetEntity");
    api.xmlFreeDoc = gazette_libxml2_symbol("xmlFreeDoc");
    api.xmlSetGenericErrorFunc = gazette_libxml2_symbol("xmlSetGenericErrorFunc");
    complete = api.xmlCreatePushParserCtxt && api.xmlParseChunk && api.xmlFreeParserCtxt && api.xmlCtxtUseOptions
        && api.xmlSAXVersion && api.xmlStopParser && api.xmlByteConsumed && api.xmlCtxtGetLastError
        && api.xmlSAX2GetEntity && api.xmlFreeDoc && api.xmlSetGenericErrorFunc;
}

const gazette_xml_sax_api *gazette_xml_sax(void) {
    pthread_once(&once, load);
    return complete ? &api : NULL;
}

static void quiet(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

void gazette_xml_sax_quiet_handler(xmlSAXHandler *handler) {
    handler->warning = quiet;
    handler->error = quiet;
    handler->fatalError = quiet;
}

void gazette_xml_sax_quiet_thread(void) {
    const gazette_xml_sax_api *a = gazette_xml_sax();
    if (a) a->xmlSetGenericErrorFunc(NULL, quiet);
}
