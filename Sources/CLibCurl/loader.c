/* placeholder: replaced by the libcurl loader */
#include "curl_loader.h"
