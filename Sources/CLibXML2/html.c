#include "xml_html.h"
#include <pthread.h>

static gazette_xml_html_api api;
static int complete;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    if (!gazette_libxml2_handle()) return;
    api.htmlReadMemory = gazette_libxml2_symbol("htmlReadMemory");
    api.xmlFreeDoc = gazette_libxml2_symbol("xmlFreeDoc");
    api.xmlDocGetRootElement = gazette_libxml2_symbol("xmlDocGetRootElement");
    api.xmlGetProp = gazette_libxml2_symbol("xmlGetProp");
    /* xmlFree is a variable holding the function. */
    xmlFreeFunc *free_function = gazette_libxml2_symbol("xmlFree");
    api.xmlFree = free_function ? *free_function : NULL;
    complete = api.htmlReadMemory && api.xmlFreeDoc && api.xmlDocGetRootElement && api.xmlGetProp && api.xmlFree;
}

const gazette_xml_html_api *gazette_xml_html(void) {
    pthread_once(&once, load);
    return complete ? &api : NULL;
}
