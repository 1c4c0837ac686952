/* stand-in for the precompiled soapH.h.gch beside it (Makefile: build speed) */
#ifndef soapH_H
#include "/work/main/generated/soapH.h"
#endif
