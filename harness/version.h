#ifndef BDC_VERSION_H
#define BDC_VERSION_H

#define BDC_VERSION "0.1.0"

/* The git commit the binary was built from; the Makefile passes it. */
#ifndef BDC_COMMIT
#define BDC_COMMIT "unknown"
#endif

#endif
