package dev.debugport.kd.host;

/**
 * A process as the host read it from an EPROCESS on PsActiveProcessHead.
 *
 * @param eprocess the EPROCESS address
 * @param pid UniqueProcessId
 * @param parentPid InheritedFromUniqueProcessId
 * @param peb Peb
 * @param directoryTableBase Pcb.DirectoryTableBase
 * @param objectTable ObjectTable
 * @param handleCount the HANDLE_TABLE's HandleCount (-1 if unreadable)
 * @param imageName ImageFileName
 */
public record KdProcessInfo(long eprocess, long pid, long parentPid, long peb, long directoryTableBase,
                            long objectTable, int handleCount, String imageName) {
}
