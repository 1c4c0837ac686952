/* ews_internal.h — declarations shared by the runtime's .c files; not installed, not public API. */
#ifndef EWS_INTERNAL_H
#define EWS_INTERNAL_H

#define EWS_NS_MESSAGES "http://schemas.microsoft.com/exchange/services/2006/messages"
#define EWS_NS_TYPES "http://schemas.microsoft.com/exchange/services/2006/types"
#define EWS_NS_ERRORS "http://schemas.microsoft.com/exchange/services/2006/errors"

#endif
