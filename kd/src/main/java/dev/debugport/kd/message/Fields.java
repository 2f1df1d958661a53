package dev.debugport.kd.message;

/** Range checks for record fields narrower than their Java type. */
final class Fields {

    private Fields() {
    }

    static void u8(int value, String name) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(name + " is a u8: " + value);
        }
    }

    static void u16(int value, String name) {
        if ((value & ~0xFFFF) != 0) {
            throw new IllegalArgumentException(name + " is a u16: " + value);
        }
    }
}
