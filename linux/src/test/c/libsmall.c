/* libsmall.so: a shared object for the dlopen test. */
int small_answer(void) {
    return 42;
}
