#include "xml_loader.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *handle;
static char error_text[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    handle = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *e = dlerror();
        snprintf(error_text, sizeof error_text, "%s", e ? e : "libxml2.so.2 could not be loaded");
        return;
    }
    void (*init)(void) = (void (*)(void))dlsym(handle, "xmlInitParser");
    if (init) init();
}

void *gazette_libxml2_handle(void) {
    pthread_once(&once, load);
    return handle;
}

const char *gazette_libxml2_error(void) {
    pthread_once(&once, load);
    return handle ? NULL : error_text;
}

void *gazette_libxml2_symbol(const char *name) {
    void *h = gazette_libxml2_handle();
    return h ? dlsym(h, name) : NULL;
}
