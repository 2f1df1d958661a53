/* Debuggee for bench/step-loop: a loop long enough for any number of single steps from main. */
volatile long counter;
int main(void) {
    for (long i = 0; i < 100000000L; i++) {
        counter += i;
    }
    return 0;
}
