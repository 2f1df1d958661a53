package dev.debugport.kd.host;

import dev.debugport.kd.layout.KdDebuggerData64;
import dev.debugport.kd.layout.Win7Amd64;
import dev.debugport.kd.message.GetVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a host learns from the target's memory through the debugger data: GetVersion's DebuggerDataList leads to
 * {@code KDDEBUGGER_DATA64} ("KDBG"), which gives PsLoadedModuleList, PsActiveProcessHead, NtBuildLab and
 * CmNtCSDVersion. The structures are walked with the Windows 7 SP1 x64 offsets ({@link Win7Amd64}); the user-mode
 * modules of a process come from the debugport extension list at EPROCESS+0x4D0.
 *
 * <p>Every method issues memory reads, so the target must be stopped.
 */
public final class KdTargetInfo {
    /** Lists longer than this are treated as corrupt. */
    static final int MAX_LIST = 4096;

    private final KdHostClient client;

    public KdTargetInfo(KdHostClient client) {
        this.client = client;
    }

    /** @return the KDDEBUGGER_DATA64 address, or empty if the target has none (no DATA flag, unreadable, bad tag) */
    public Optional<Long> debuggerDataBlock() {
        GetVersion v = client.version();
        if (v == null || (v.flags() & 0x2) == 0 || v.debuggerDataList() == 0) {
            return Optional.empty();
        }
        byte[] head = client.readVirtual(v.debuggerDataList(), 8);
        if (head.length < 8) {
            return Optional.empty();
        }
        long kdbg = le64(head, 0);
        byte[] tag = client.readVirtual(kdbg + KdDebuggerData64.OWNER_TAG, 4);
        if (tag.length < 4 || ByteBuffer.wrap(tag).order(ByteOrder.LITTLE_ENDIAN).getInt() != KdDebuggerData64.OWNER_TAG_KDBG) {
            return Optional.empty();
        }
        return Optional.of(kdbg);
    }

    private long kdbgField(int offset) {
        long kdbg = debuggerDataBlock().orElseThrow(() -> new KdHostException("the target has no debugger data block (KDBG)"));
        return client.readU64(kdbg + offset);
    }

    /** @return NtBuildLab, e.g. {@code 7601.17514.amd64fre.win7sp1_rtm.101119-1850} */
    public Optional<String> buildLab() {
        return debuggerDataBlock().map(kdbg -> readAnsi(client.readU64(kdbg + KdDebuggerData64.NT_BUILD_LAB), 128));
    }

    /** @return the service-pack number (bits 8..15 of *CmNtCSDVersion) */
    public Optional<Integer> servicePack() {
        Optional<Long> kdbg = debuggerDataBlock();
        if (kdbg.isEmpty()) {
            return Optional.empty();
        }
        byte[] b = client.readVirtual(client.readU64(kdbg.get() + KdDebuggerData64.CM_NT_CSD_VERSION), 4);
        return b.length < 4 ? Optional.empty() : Optional.of((ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() >> 8) & 0xFF);
    }

    /** @return the kernel modules on PsLoadedModuleList, in load order */
    public List<KdModule> kernelModules() {
        long head = client.version().psLoadedModuleList();
        if (head == 0) {
            head = kdbgField(KdDebuggerData64.PS_LOADED_MODULE_LIST);
        }
        return modules(head);
    }

    /** @return the LDR_DATA_TABLE_ENTRY modules of the list at {@code head} */
    public List<KdModule> modules(long head) {
        List<KdModule> out = new ArrayList<>();
        for (long link : walk(head)) {
            long e = link - Win7Amd64.LDR_IN_LOAD_ORDER_LINKS;
            byte[] b = client.readVirtual(e, Win7Amd64.LDR_SIZE);
            if (b.length < Win7Amd64.LDR_SIZE) {
                break;
            }
            out.add(new KdModule(unicode(b, Win7Amd64.LDR_BASE_DLL_NAME), unicode(b, Win7Amd64.LDR_FULL_DLL_NAME),
                    le64(b, Win7Amd64.LDR_DLL_BASE), Integer.toUnsignedLong(le32(b, Win7Amd64.LDR_SIZE_OF_IMAGE)), e));
        }
        return out;
    }

    /** @return the processes on PsActiveProcessHead */
    public List<KdProcessInfo> processes() {
        long head = kdbgField(KdDebuggerData64.PS_ACTIVE_PROCESS_HEAD);
        List<KdProcessInfo> out = new ArrayList<>();
        for (long link : walk(head)) {
            out.add(process(link - Win7Amd64.EPROCESS_ACTIVE_PROCESS_LINKS));
        }
        return out;
    }

    /** @return the EPROCESS at {@code eprocess} */
    public KdProcessInfo process(long eprocess) {
        byte[] b = client.readVirtual(eprocess, Win7Amd64.EPROCESS_SIZE);
        if (b.length < Win7Amd64.EPROCESS_SIZE) {
            throw new KdHostException(String.format("cannot read the EPROCESS at %x", eprocess));
        }
        byte[] name = new byte[Win7Amd64.IMAGE_FILE_NAME_LENGTH];
        System.arraycopy(b, Win7Amd64.EPROCESS_IMAGE_FILE_NAME, name, 0, name.length);
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        long objectTable = le64(b, Win7Amd64.EPROCESS_OBJECT_TABLE);
        int handles = -1;
        if (objectTable != 0) {
            byte[] h = client.readVirtual(objectTable + Win7Amd64.HANDLE_TABLE_HANDLE_COUNT, 4);
            if (h.length == 4) {
                handles = le32(h, 0);
            }
        }
        return new KdProcessInfo(eprocess, le64(b, Win7Amd64.EPROCESS_UNIQUE_PROCESS_ID),
                le64(b, Win7Amd64.EPROCESS_INHERITED_FROM_UNIQUE_PROCESS_ID), le64(b, Win7Amd64.EPROCESS_PEB),
                le64(b, Win7Amd64.EPROCESS_DIRECTORY_TABLE_BASE), objectTable, handles,
                new String(name, 0, len, StandardCharsets.ISO_8859_1));
    }

    /** @return the EPROCESS of the thread whose KTHREAD is at {@code kthread} (KTHREAD.Process) */
    public long processOfThread(long kthread) {
        return client.readU64(kthread + Win7Amd64.KTHREAD_PROCESS);
    }

    /** @return the user-mode modules of the process (debugport's extension list; empty if absent) */
    public List<KdModule> userModules(long eprocess) {
        return modules(eprocess + Win7Amd64.EPROCESS_X_USER_MODULE_LIST);
    }

    /** Follows Flink from {@code head} until it comes back (at most {@link #MAX_LIST} entries). */
    private List<Long> walk(long head) {
        List<Long> links = new ArrayList<>();
        long link = client.readU64(head);
        while (link != head && link != 0 && links.size() < MAX_LIST) {
            links.add(link);
            byte[] b = client.readVirtual(link, 8);
            if (b.length < 8) {
                break;
            }
            link = le64(b, 0);
        }
        return links;
    }

    private String unicode(byte[] entry, int at) {
        int length = Short.toUnsignedInt(ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).getShort(at));
        long buffer = le64(entry, at + Win7Amd64.UNICODE_STRING_BUFFER);
        if (length == 0 || buffer == 0) {
            return "";
        }
        byte[] b = client.readVirtual(buffer, Math.min(length, 0x800));
        return new String(b, 0, b.length & ~1, StandardCharsets.UTF_16LE);
    }

    private String readAnsi(long address, int max) {
        byte[] b = client.readVirtual(address, max);
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }

    static long le64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    static int le32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }
}
