#include "curl_loader.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *handle;
static gazette_curl_api api;
static int complete;
static char error_text[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The variadic functions, called only through the typed wrappers below. */
static CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
static CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
static CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);

#define SYMBOL(field, name) (*(void **)&(field) = dlsym(handle, name))

static void load(void) {
    handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *e = dlerror();
        snprintf(error_text, sizeof error_text, "%s", e ? e : "libcurl.so.4 could not be loaded");
        return;
    }
    SYMBOL(api.easy_init, "curl_easy_init");
    SYMBOL(api.easy_cleanup, "curl_easy_cleanup");
    SYMBOL(api.easy_strerror, "curl_easy_strerror");
    SYMBOL(api.multi_init, "curl_multi_init");
    SYMBOL(api.multi_cleanup, "curl_multi_cleanup");
    SYMBOL(api.multi_add_handle, "curl_multi_add_handle");
    SYMBOL(api.multi_remove_handle, "curl_multi_remove_handle");
    SYMBOL(api.multi_perform, "curl_multi_perform");
    SYMBOL(api.multi_poll, "curl_multi_poll");
    SYMBOL(api.multi_wakeup, "curl_multi_wakeup");
    SYMBOL(api.multi_info_read, "curl_multi_info_read");
    SYMBOL(api.multi_strerror, "curl_multi_strerror");
    SYMBOL(api.slist_append, "curl_slist_append");
    SYMBOL(api.slist_free_all, "curl_slist_free_all");
    SYMBOL(api.version_info, "curl_version_info");
    SYMBOL(easy_setopt, "curl_easy_setopt");
    SYMBOL(easy_getinfo, "curl_easy_getinfo");
    SYMBOL(multi_setopt, "curl_multi_setopt");
    CURLcode (*global_init)(long) = NULL;
    SYMBOL(global_init, "curl_global_init");
    int found = api.easy_init && api.easy_cleanup && api.easy_strerror && api.multi_init && api.multi_cleanup
        && api.multi_add_handle && api.multi_remove_handle && api.multi_perform && api.multi_poll && api.multi_wakeup
        && api.multi_info_read && api.multi_strerror && api.slist_append && api.slist_free_all && api.version_info
        && easy_setopt && easy_getinfo && multi_setopt && global_init;
    if (!found) {
        /* curl_multi_poll is 7.66 and curl_multi_wakeup 7.68 (2020): an older libcurl lands here. */
        snprintf(error_text, sizeof error_text, "libcurl.so.4 is too old (7.68 or later is needed)");
        return;
    }
    CURLcode code = global_init(CURL_GLOBAL_ALL);
    if (code != CURLE_OK) {
        snprintf(error_text, sizeof error_text, "libcurl could not start: %s", api.easy_strerror(code));
        return;
    }
    complete = 1;
}

const gazette_curl_api *gazette_curl(void) {
    pthread_once(&once, load);
    return complete ? &api : NULL;
}

const char *gazette_curl_error(void) {
    pthread_once(&once, load);
    return complete ? NULL : error_text;
}

CURLcode gazette_curl_setopt_long(CURL *h, CURLoption option, long value) {
    return gazette_curl() ? easy_setopt(h, option, value) : CURLE_FAILED_INIT;
}

CURLcode gazette_curl_setopt_ptr(CURL *h, CURLoption option, const void *value) {
    return gazette_curl() ? easy_setopt(h, option, value) : CURLE_FAILED_INIT;
}

CURLcode gazette_curl_setopt_off(CURL *h, CURLoption option, curl_off_t value) {
    return gazette_curl() ? easy_setopt(h, option, value) : CURLE_FAILED_INIT;
}

CURLcode gazette_curl_setopt_func(CURL *h, CURLoption option, curl_write_callback value) {
    return gazette_curl() ? easy_setopt(h, option, value) : CURLE_FAILED_INIT;
}

CURLcode gazette_curl_allow_http_only(CURL *h) {
    if (!gazette_curl()) return CURLE_FAILED_INIT;
    CURLcode code = easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (code == CURLE_OK) return easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (code != CURLE_UNKNOWN_OPTION) return code;
    /* Before 7.85: the bit masks (numbered CURLOPT_PROTOCOLS 181 and CURLOPT_REDIR_PROTOCOLS 182, deprecated since). */
    long mask = CURLPROTO_HTTP | CURLPROTO_HTTPS;
    code = easy_setopt(h, (CURLoption)(CURLOPTTYPE_LONG + 181), mask);
    if (code != CURLE_OK) return code;
    return easy_setopt(h, (CURLoption)(CURLOPTTYPE_LONG + 182), mask);
}

CURLcode gazette_curl_getinfo_long(CURL *h, CURLINFO info, long *value) {
    return gazette_curl() ? easy_getinfo(h, info, value) : CURLE_FAILED_INIT;
}

CURLcode gazette_curl_getinfo_str(CURL *h, CURLINFO info, const char **value) {
    return gazette_curl() ? easy_getinfo(h, info, value) : CURLE_FAILED_INIT;
}

CURLcode gazette_curl_getinfo_double(CURL *h, CURLINFO info, double *value) {
    return gazette_curl() ? easy_getinfo(h, info, value) : CURLE_FAILED_INIT;
}

CURLcode gazette_curl_getinfo_off(CURL *h, CURLINFO info, curl_off_t *value) {
    return gazette_curl() ? easy_getinfo(h, info, value) : CURLE_FAILED_INIT;
}

CURLMcode gazette_curl_multi_setopt_long(CURLM *m, CURLMoption option, long value) {
    return gazette_curl() ? multi_setopt(m, option, value) : CURLM_INTERNAL_ERROR;
}
