/* sigbus: maps a page of an empty temporary file and reads it (SIGBUS, BUS_ADRERR). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    no_core_dumps();
    char path[] = "/tmp/debugport-sigbus-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 2;
    unlink(path);
    volatile char *p = mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return 3;
    return p[0];
}
