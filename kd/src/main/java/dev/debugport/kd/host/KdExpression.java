package dev.debugport.kd.host;

import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.nt.Amd64Register;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** kd's address and value expressions, evaluated against the stopped target's registers and kernel modules. */
record KdExpression(KdTarget target, KdKernelModules modules) {
    /** A number, a register ({@code @rip}, {@code rsp}), or {@code a+b} / {@code a-b} of those. */
    long evaluate(String expression) {
        String e = expression.trim();
        int op = Math.max(e.lastIndexOf('+'), e.lastIndexOf('-'));
        if (op > 0) {
            long left = evaluate(e.substring(0, op));
            long right = evaluate(e.substring(op + 1));
            return e.charAt(op) == '+' ? left + right : left - right;
        }
        String name = e.startsWith("@") ? e.substring(1) : e;
        OptionalLong moduleBase = modules.baseOf(name);
        if (moduleBase.isPresent()) {
            return moduleBase.getAsLong();
        }
        Optional<Amd64Register> reg = target.arch() == KdArchitecture.AMD64 ? Amd64Register.byName(name.toLowerCase(Locale.ROOT))
                : Optional.empty();
        if (reg.isPresent() && (e.startsWith("@") || !isHex(name))) {
            return target.connected().getContext().get(reg.get());
        }
        if (target.arch() == KdArchitecture.X86 && X86ContextLayout.offsetOf(name).isPresent() && (e.startsWith("@") || !isHex(name))) {
            ByteBuffer b = ByteBuffer.wrap(target.connected().getContextImage().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            return Integer.toUnsignedLong(b.getInt(X86ContextLayout.offsetOf(name).orElseThrow()));
        }
        return KdFormat.parseNumber(e);
    }

    private static boolean isHex(String s) {
        return s.replace("`", "").matches("(0[xX])?[0-9a-fA-F]+");
    }
}
