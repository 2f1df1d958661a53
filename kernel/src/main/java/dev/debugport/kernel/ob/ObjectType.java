package dev.debugport.kernel.ob;

import dev.debugport.nt.GenericMapping;
import java.util.function.Consumer;

/**
 * An OBJECT_TYPE: the name, the generic mapping, the valid access mask and the close and delete procedures that the
 * object manager calls for every object of the type.
 */
public record ObjectType(
        String name,
        GenericMapping genericMapping,
        int validAccessMask,
        CloseProcedure closeProcedure,
        Consumer<NtObject> deleteProcedure) {

    /** The OkayToClose/Close procedure slot of a type: called on every handle close, before the counts drop. */
    @FunctionalInterface
    public interface CloseProcedure {
        /**
         * @param process the process whose handle is being closed
         * @param object the object
         * @param grantedAccess the access the handle had
         * @param systemHandleCount the object's handle count before this close (1 means: the last handle)
         */
        void onClose(Object process, NtObject object, int grantedAccess, int systemHandleCount);
    }

    /** A type with no close procedure and nothing to do on delete. */
    public static ObjectType simple(String name, GenericMapping mapping, int validAccessMask) {
        return new ObjectType(name, mapping, validAccessMask, (p, o, a, c) -> { }, o -> { });
    }
}
