#ifndef GAZETTE_XML_HTML_H
#define GAZETTE_XML_HTML_H
#include "xml_loader.h"

/* The functions the Article module calls (HTML bodies), resolved from libxml2 with dlsym. */
typedef struct {
    htmlDocPtr (*htmlReadMemory)(const char *buffer, int size, const char *URL, const char *encoding, int options);
    void (*xmlFreeDoc)(xmlDocPtr doc);
    xmlNodePtr (*xmlDocGetRootElement)(const xmlDoc *doc);
    xmlChar *(*xmlGetProp)(const xmlNode *node, const xmlChar *name);
    void (*xmlFree)(void *mem);
} gazette_xml_html_api;

/* The table, or NULL when libxml2 (or one of these functions) is missing. Loaded once; thread-safe. */
const gazette_xml_html_api *gazette_xml_html(void);
#endif
