package dev.debugport.kd.host;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/** kd's {@code r}: the register display of an AMD64 or x86 target, or some registers shown or set. */
record KdRegisterCommand(KdTarget target, KdConsole console, KdExpression expression, KdStopPrinter stopPrinter) {
    /** {@code r [reg[=value] ...]}: every register, or the named ones shown or set. */
    void registers(String args) {
        KdHostClient c = target.stopped();
        if (c.architecture() == KdArchitecture.X86) {
            registersX86(c, args);
            return;
        }
        Amd64Context ctx = c.getContext();
        if (!args.isEmpty()) {
            Amd64Context edited = ctx;
            boolean set = false;
            for (String assignment : args.split("[,\\s]+")) {
                String a = assignment.startsWith("@") ? assignment.substring(1) : assignment;
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                Amd64Register reg = Amd64Register.byName(name.toLowerCase(Locale.ROOT))
                        .orElseThrow(() -> new KdHostException("bad register '" + name + "'"));
                if (eq < 0) {
                    console.println(String.format(registerFormat(reg), reg.lowerName(), ctx.get(reg)));
                } else {
                    edited = edited.with(reg, expression.evaluate(a.substring(eq + 1)));
                    set = true;
                }
            }
            if (set) {
                KdTarget.requireSuccess(c.setContext(edited), "SetContext");
            }
            return;
        }
        console.println(ctx.toString()); // cdb's r layout (Amd64Context)
        stopPrinter.printInstructionAt(ctx.rip());
    }

    private static String registerFormat(Amd64Register reg) {
        return reg.isSegment() ? "%s=%04x" : reg == Amd64Register.EFLAGS ? "%s=%08x" : "%s=%016x";
    }

    private void registersX86(KdHostClient c, String args) {
        byte[] image = c.getContextImage().toByteArray();
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < X86ContextLayout.SIZE) {
            throw new KdHostException("the target's CONTEXT is " + image.length + " bytes");
        }
        if (!args.isEmpty()) {
            boolean set = false;
            for (String assignment : args.split("[,\\s]+")) {
                String a = assignment.startsWith("@") ? assignment.substring(1) : assignment;
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                int at = X86ContextLayout.offsetOf(name).orElseThrow(() -> new KdHostException("bad register '" + name + "'"));
                if (eq < 0) {
                    console.println(String.format("%s=%08x", name.toLowerCase(Locale.ROOT), b.getInt(at)));
                } else {
                    b.putInt(at, (int) expression.evaluate(a.substring(eq + 1)));
                    set = true;
                }
            }
            if (set) {
                KdTarget.requireSuccess(c.setContextImage(ByteString.of(image)), "SetContext");
            }
            return;
        }
        java.util.function.IntUnaryOperator r = off -> b.getInt(off);
        int efl = r.applyAsInt(0xC0);
        console.println(String.format("eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x", r.applyAsInt(0xB0), r.applyAsInt(0xA4),
                r.applyAsInt(0xAC), r.applyAsInt(0xA8), r.applyAsInt(0xA0), r.applyAsInt(0x9C)));
        console.println(String.format("eip=%08x esp=%08x ebp=%08x iopl=%d         %s", r.applyAsInt(0xB8), r.applyAsInt(0xC4),
                r.applyAsInt(0xB4), (efl >> 12) & 3, Amd64Context.flagMnemonics(efl)));
        console.println(String.format("cs=%04x  ss=%04x  ds=%04x  es=%04x  fs=%04x  gs=%04x             efl=%08x",
                r.applyAsInt(0xBC) & 0xFFFF, r.applyAsInt(0xC8) & 0xFFFF, r.applyAsInt(0x98) & 0xFFFF,
                r.applyAsInt(0x94) & 0xFFFF, r.applyAsInt(0x90) & 0xFFFF, r.applyAsInt(0x8C) & 0xFFFF, efl));
        stopPrinter.printInstructionAt(Integer.toUnsignedLong(r.applyAsInt(0xB8)));
    }
}
