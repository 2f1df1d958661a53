package dev.debugport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.io.FileObject;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.image.PeHeaders;
import dev.debugport.sim.image.SimNtdll;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressSpaceTest extends SimTestBase {
    private static final GuestCode IDLE = g -> g.waitFor("never");

    private static List<String> paths(List<ImageInfo> list) {
        synchronized (list) {
            return list.stream().map(ImageInfo::path).toList();
        }
    }

    @Test
    void nativeProcessHasExeNtdllKernel32KernelBaseAndImportsInLoadOrder() {
        EProcess p = start(new SimProgram("layout", ProcessTraits.NATIVE, List.of("user32.dll", "C:\\sim\\plugin.dll"), IDLE)).process();
        assertTrue(machine.stopPoints().awaitHits(SimMachine.LOADER_DONE_POINT, 1, TIMEOUT), "the loader fills PEB.Ldr");
        assertEquals(List.of("C:\\sim\\layout.exe", "C:\\Windows\\System32\\ntdll.dll", "C:\\Windows\\System32\\kernel32.dll",
                "C:\\Windows\\System32\\KernelBase.dll", "C:\\Windows\\System32\\user32.dll", "C:\\sim\\plugin.dll"), paths(p.loaderList()));
        assertTrue(p.loaderList32().isEmpty());

        ImageInfo exe = p.image();
        assertEquals(ImageLayout.EXE_BASE_64, exe.base());
        assertEquals(ImageInfo.MACHINE_AMD64, exe.machine());
        assertTrue(exe.entryPoint() > exe.base() && exe.entryPoint() < exe.end());
        assertTrue(exe.debugInfoFileOffset() != 0 && exe.debugInfoSize() != 0);
        assertEquals(ImageLayout.NTDLL_BASE, p.loaderList().get(1).base());

        ImageInfo[] systemDlls = p.systemDlls();
        assertEquals(1, systemDlls.length);
        assertEquals(ImageLayout.NTDLL_BASE, systemDlls[0].base());

        assertNotNull(p.peb());
        assertEquals(ImageLayout.PEB_ADDRESS, p.peb().address());
        assertFalse(p.peb().beingDebugged());
        assertEquals(0, p.peb().ntGlobalFlag().orElseThrow());
        assertNull(p.peb32());
    }

    @Test
    void imagesCarryPeHeadersInMemoryAndOnDisk() {
        EProcess p = start(SimProgram.of("headers", IDLE)).process();
        ImageInfo exe = p.image();
        byte[] mapped = new byte[PeHeaders.HEADER_BYTES];
        assertEquals(mapped.length, p.memory().read(exe.base(), mapped, 0, mapped.length));
        assertEquals('M', mapped[0]);
        assertEquals('Z', mapped[1]);
        ByteBuffer b = ByteBuffer.wrap(mapped).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(ImageInfo.MACHINE_AMD64, b.getShort(PeHeaders.FILE_HEADER_OFFSET) & 0xFFFF);
        assertEquals(exe.debugInfoFileOffset(), b.getInt(PeHeaders.FILE_HEADER_OFFSET + 8));
        assertEquals(exe.debugInfoSize(), b.getInt(PeHeaders.FILE_HEADER_OFFSET + 12));
        assertEquals(exe.entryPoint() - exe.base(), b.getInt(PeHeaders.OPTIONAL_HEADER_OFFSET + 0x10));
        assertEquals(exe.base(), b.getLong(PeHeaders.OPTIONAL_HEADER_OFFSET + 0x18));

        NtResult<FileObject> file = machine.platform().openImageFile("c:\\SIM\\headers.EXE");
        assertTrue(file.isSuccess(), "paths are case-insensitive");
        byte[] head = new byte[2];
        assertEquals(2, file.value().read(0, head, 0, 2));
        assertEquals('M', head[0]);
        assertTrue(machine.files().exists("C:\\Windows\\System32\\ntdll.dll"));
    }

    @Test
    void openImageFileFailsForMissingAndUnreadableFiles() {
        start(SimProgram.of("files", IDLE));
        assertEquals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, machine.platform().openImageFile("C:\\nope.dll").status());
        assertTrue(machine.files().setReadable("C:\\sim\\files.exe", false));
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, machine.platform().openImageFile("C:\\sim\\files.exe").status());
        assertTrue(machine.files().setReadable("C:\\sim\\files.exe", true));
        assertTrue(machine.platform().openImageFile("C:\\sim\\files.exe").isSuccess());
    }

    @Test
    void systemRoutinesAreInsideNtdllAndDbgBreakPointIsAnInt3() {
        EProcess p = start(SimProgram.of("routines", IDLE)).process();
        ImageInfo ntdll = p.systemDlls()[0];
        for (String name : List.of(SimNtdll.DBG_BREAK_POINT, SimNtdll.DBG_UI_REMOTE_BREAKIN, SimNtdll.LDRP_DO_DEBUGGER_BREAK,
                SimNtdll.KI_USER_EXCEPTION_DISPATCHER, SimNtdll.RTL_USER_THREAD_START)) {
            long a = machine.platform().systemRoutineAddress(p, name);
            assertTrue(a > ntdll.base() && a < ntdll.end(), name);
        }
        assertEquals(0, machine.platform().systemRoutineAddress(p, "NtNoSuchRoutine"));
        assertEquals(0, machine.platform().systemRoutineAddress(machine.kernel().systemProcess(), SimNtdll.DBG_BREAK_POINT));
        long bp = machine.platform().systemRoutineAddress(p, SimNtdll.DBG_BREAK_POINT);
        assertEquals(0xCC, MemoryAccess.readByte(p.memory(), bp).orElseThrow());
    }

    @Test
    void wow64ProcessHasBothNtdllsBothLoaderListsAndAPeb32() {
        SimProgram program = new SimProgram("legacy", ProcessTraits.wow64I386(), List.of("user32.dll"), IDLE);
        EProcess p = start(program).process();
        assertTrue(machine.stopPoints().awaitHits(SimMachine.LOADER_DONE_POINT, 1, TIMEOUT), "the loader fills PEB.Ldr");
        assertEquals(ImageLayout.EXE_BASE_32, p.image().base());
        assertEquals(ImageInfo.MACHINE_I386, p.image().machine());
        assertEquals(List.of("C:\\sim\\legacy.exe", "C:\\Windows\\System32\\ntdll.dll", "C:\\Windows\\System32\\wow64.dll",
                "C:\\Windows\\System32\\wow64win.dll", "C:\\Windows\\System32\\wow64cpu.dll"), paths(p.loaderList()));
        assertEquals(List.of("C:\\sim\\legacy.exe", "C:\\Windows\\SysWOW64\\ntdll.dll", "C:\\Windows\\SysWOW64\\kernel32.dll",
                "C:\\Windows\\SysWOW64\\KernelBase.dll", "C:\\Windows\\SysWOW64\\user32.dll"), paths(p.loaderList32()));
        ImageInfo ntdll32 = p.systemDlls()[ProcessTraits.wow64I386().wow64NtdllSlot()];
        assertEquals(ImageLayout.NTDLL32_BASE, ntdll32.base());
        assertEquals(ImageInfo.MACHINE_I386, ntdll32.machine());
        assertEquals(ImageLayout.NTDLL_BASE, p.systemDlls()[0].base());
        assertNotNull(p.peb32());
        assertEquals(ImageLayout.PEB32_ADDRESS, p.peb32().address());
        assertTrue(p.loaderList32().get(4).base() < 0x1_0000_0000L, "32-bit DLLs live below 4 GiB");
    }

    @Test
    void theSystemProgramCannotBeBuilt() {
        EProcess fake = new EProcess(0x999, 4, null, ProcessTraits.SYSTEM);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, machine.platform().initializeProcess(fake, SimProgram.of("x", IDLE).withTraits(ProcessTraits.SYSTEM)));
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, machine.platform().initializeProcess(fake, "not a program"));
    }

    @Test
    void theLoaderListsStayEmptyUntilTheLoaderRuns() {
        SimProgram program = new SimProgram("later", ProcessTraits.NATIVE, List.of("user32.dll"), IDLE);
        var created = machine.createProcess(machine.createHostThread("creator.exe"), program, dev.debugport.nt.Handle.NULL, false, true);
        EProcess p = created.value().process();
        assertTrue(p.loaderList().isEmpty(), "PEB.Ldr is empty in a CREATE_SUSPENDED process");
        machine.kernel().processes().resumeThread(created.value().initialThread());
        assertTrue(machine.stopPoints().awaitHits(SimMachine.LOADER_DONE_POINT, 1, TIMEOUT));
        assertEquals(5, paths(p.loaderList()).size(), "exe, ntdll, kernel32, KernelBase, user32");
    }
}
