#ifndef TROUPE_CLIBSSH_SHIM_H
#define TROUPE_CLIBSSH_SHIM_H
#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <libssh/server.h>
#endif
