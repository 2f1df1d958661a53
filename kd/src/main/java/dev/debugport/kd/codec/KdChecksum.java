package dev.debugport.kd.codec;

/**
 * The {@code Checksum} field of a data packet ({@code spec/kd.md} §3): the unsigned 32-bit, wrapping
 * sum of every payload byte taken as 0..255. The header and the {@code 0xAA} trailer are not
 * included; an empty payload sums to 0; control packets carry 0.
 *
 * <pre>
 *  payload   01 02 FF        checksum = 0x01 + 0x02 + 0xFF = 0x00000102
 * </pre>
 */
public final class KdChecksum {

    private KdChecksum() {
    }

    /** @return the checksum of {@code bytes[offset, offset + length)} */
    public static int compute(byte[] bytes, int offset, int length) {
        int sum = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            sum += bytes[i] & 0xFF;
        }
        return sum;
    }

    /** @return the checksum of all of {@code payload} */
    public static int compute(ByteString payload) {
        int sum = 0;
        for (int i = 0, n = payload.length(); i < n; i++) {
            sum += payload.getUnsigned(i);
        }
        return sum;
    }
}
