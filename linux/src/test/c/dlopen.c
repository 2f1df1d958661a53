/* dlopen LIB: reports 0 (int3), dlopens LIB, calls small_answer, reports the handle, dlcloses, reports the answer,
 * exits 0 if the answer was 42. */
#include <dlfcn.h>
#include "common.h"

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    REPORT(0);
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (lib == 0) return 3;
    int (*answer)(void) = (int (*)(void)) dlsym(lib, "small_answer");
    int value = answer ? answer() : -1;
    REPORT(lib);
    dlclose(lib);
    REPORT(value);
    return value == 42 ? 0 : 1;
}
