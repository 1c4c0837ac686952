/* ews/ews.h — everything of libews: the runtime API and the generated typed operations. */
#ifndef EWS_EWS_H
#define EWS_EWS_H

#include "ews/status.h"
#include "ews/client.h"
#include "ews/oauth2.h"
#include "ews/autodiscover.h"
#include "ews/call.h"
#include "ews/response.h"
#include "ews/fault.h"
#include "ews/pool.h"
#include "ews/sanitize.h"
#include "ews/datetime.h"
#include "ews/ids.h"
#include "ews/view.h"
#include "ews/pager.h"
#include "ews/sync.h"
#include "ews/export.h"
#include "ews/attachments.h"
#include "ews/mime.h"
#include "ews/convert.h"
#include "ews/build.h"
#include "ews/recurrence.h"

#if defined(__has_include)
#if __has_include("ews/ntlm.h")
#include "ews/ntlm.h"
#endif
#if __has_include("ews_operations.h")
#include "ews_operations.h"
#endif
#if __has_include("ews_builders.h")
#include "ews_builders.h"   /* typed builders for requests (generated) */
#endif
#endif

#endif
