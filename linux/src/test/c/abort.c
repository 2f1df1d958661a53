/* abort: calls abort(). */
#include <stdlib.h>
#include "common.h"

int main(void) {
    no_core_dumps();
    abort();
}
