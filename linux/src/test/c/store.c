/* store: stores 1 then 2 into a global (`watched`), exits with its value (2). No int3: it may run undebugged. */
volatile int watched;

int main(void) {
    watched = 1;
    watched = 2;
    return watched;
}
