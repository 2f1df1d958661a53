import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A build step of the cli module (run by exec-maven-plugin on the shaded jar, as a single-file source program):
 * rewrites the class files under a package prefix that are older than Java 6 (class file version 50) as Java 8 class
 * files, with the stack map tables that version requires, computed by the JDK's ClassFile API.
 *
 * <p>Why: the JVM's start-up cache (the AOT cache the launcher makes, like CDS before it) cannot hold classes older
 * than version 50, which need the old type-inferring verifier. picocli ships Java 5 class files, so without this its
 * ~170 classes are read from the jar, parsed and verified on every start (tens of milliseconds of
 * {@code debugport run}'s start-up). The bytecode itself is not changed.
 *
 * <pre>usage: java UpgradeClassFiles.java JAR PACKAGE_PREFIX   (e.g. picocli/)</pre>
 */
public final class UpgradeClassFiles {
    private static final int OLDEST_WITH_STACK_MAPS = 50;
    private static final int TARGET_MAJOR = 52;

    private UpgradeClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java UpgradeClassFiles.java JAR PACKAGE_PREFIX");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        String prefix = args[1];
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int count;
        // Stack maps need the class hierarchy: the jar's own classes, then the JDK's.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             OutputStream file = Files.newOutputStream(rewritten);
             ZipOutputStream out = new ZipOutputStream(file)) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            count = copy(in, out, prefix, classFile);
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("UpgradeClassFiles: " + count + " class files under " + prefix + " now version " + TARGET_MAJOR);
    }

    /** Copies every entry, upgrading the old class files under {@code prefix}; returns how many were upgraded. */
    private static int copy(ZipInputStream in, ZipOutputStream out, String prefix, ClassFile classFile) throws IOException {
        int count = 0;
        for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
            byte[] bytes = in.readAllBytes();
            if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".class")) {
                ClassModel model = classFile.parse(bytes);
                if (model.majorVersion() < OLDEST_WITH_STACK_MAPS) {
                    // Rebuilding every method body makes the ClassFile API generate its stack map table.
                    bytes = classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                            .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET_MAJOR, 0))));
                    count++;
                }
            }
            ZipEntry copy = new ZipEntry(entry.getName());
            copy.setTime(entry.getTime());
            out.putNextEntry(copy);
            out.write(bytes);
            out.closeEntry();
        }
        return count;
    }
}
