/* version.h - the Vortex release version. */
#ifndef VX_VERSION_H
#define VX_VERSION_H
#define VX_VERSION "0.1.0"
#endif
