#ifndef GAZETTE_CURL_LOADER_H
#define GAZETTE_CURL_LOADER_H
/* libcurl is loaded with dlopen when the first fetch starts, never linked: a reader that only reads does not pay for
 * libcurl and the ~30 shared libraries it brings (TLS, HTTP/2, IDN, LDAP…: ~9 ms of start-up and ~6 MB resident,
 * DESIGN.md section 3). The headers (Debian's libcurl4-openssl-dev) give the types and constants; every function is
 * called through the table below, filled by dlsym. curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are
 * variadic, which Swift cannot call: the gazette_curl_* wrappers below give them one typed signature each. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/* The non-variadic functions the Fetching module calls. */
typedef struct {
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *multi);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *handle);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *handle);
    CURLMcode (*multi_perform)(CURLM *multi, int *running);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms,
                            int *numfds);
    CURLMcode (*multi_wakeup)(CURLM *multi);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *msgs_in_queue);
    const char *(*multi_strerror)(CURLMcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
    curl_version_info_data *(*version_info)(CURLversion age);
} gazette_curl_api;

/* The table, or NULL when libcurl.so.4 (or one of its functions, or curl_global_init) is missing. Loaded once
 * (pthread_once, RTLD_NOW | RTLD_LOCAL), curl_global_init called then; thread-safe. */
const gazette_curl_api *gazette_curl(void);
/* Why loading failed (dlerror's text), or NULL. */
const char *gazette_curl_error(void);

/* curl_easy_setopt, one signature per argument type. They return CURLE_FAILED_INIT when libcurl is not loaded. */
CURLcode gazette_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode gazette_curl_setopt_ptr(CURL *handle, CURLoption option, const void *value);
CURLcode gazette_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION (both `size_t (char *, size_t, size_t, void *)`). */
CURLcode gazette_curl_setopt_func(CURL *handle, CURLoption option, curl_write_callback value);
/* Only http and https, for the first request and every redirect (CURLOPT_PROTOCOLS_STR and REDIR_PROTOCOLS_STR,
 * or the bit masks of libcurl before 7.85). */
CURLcode gazette_curl_allow_http_only(CURL *handle);

/* curl_easy_getinfo, one signature per result type. */
CURLcode gazette_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode gazette_curl_getinfo_str(CURL *handle, CURLINFO info, const char **value);
CURLcode gazette_curl_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode gazette_curl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value);

/* curl_multi_setopt with a long. */
CURLMcode gazette_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
#endif
