package dev.debugport.analysis;

/**
 * A module mapped in a debuggee, as the debugger learned it from CREATE_PROCESS / LOAD_DLL.
 *
 * @param name the module name as commands take and print it ({@link #nameFor})
 * @param path the file the image came from (may not exist on this machine, for a simulated image)
 * @param base the lowest mapped address
 * @param end  one past the highest mapped address
 */
public record ModuleImage(String name, String path, long base, long end) {
    /** A module named after its path, as {@link #nameFor} says. */
    public static ModuleImage of(String path, long base, long end) {
        return new ModuleImage(nameFor(path), path, base, end);
    }

    /**
     * The name cdb would give the file at {@code path}: the file name without its directory, cut at the first dot
     * (the extension and, for a shared object, the version), with every character that cannot be part of an
     * expression's identifier turned into an underscore, so that {@code module!symbol} parses: libc.so.6 → libc,
     * ld-linux-x86-64.so.2 → ld_linux_x86_64, ntdll.dll → ntdll.
     */
    public static String nameFor(String path) {
        String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        int dot = file.indexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        StringBuilder name = new StringBuilder(stem.length());
        for (int i = 0; i < stem.length(); i++) {
            char c = stem.charAt(i);
            name.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return name.isEmpty() ? "unknown" : name.toString();
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(address, end) < 0;
    }
}
