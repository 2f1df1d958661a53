/* regs: sets rbx = 1, executes int3, then exits with the low byte of rbx (the debugger may change it). */
int main(void) {
    long out;
    __asm__ volatile("mov $1, %%rbx\n\t"
                     "int3\n\t"
                     "mov %%rbx, %0" : "=r"(out) : : "rbx", "memory");
    return (int) (out & 0xff);
}
