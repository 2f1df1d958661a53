package dev.debugport.kernel.ob;

import dev.debugport.kernel.ke.DispatcherObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body of an object managed by the object manager, with the counts of its OBJECT_HEADER: a pointer (reference)
 * count and a handle count. The object is deleted (its type's delete procedure runs) when the pointer count reaches
 * zero; every open handle also holds one reference.
 */
public abstract class NtObject {
    private final ObjectType type;
    private final AtomicLong pointerCount = new AtomicLong(1);
    private final AtomicInteger handleCount = new AtomicInteger();
    private volatile String name;

    protected NtObject(ObjectType type) {
        this.type = type;
    }

    public final ObjectType type() {
        return type;
    }

    /** Implements ObReferenceObject. */
    public final void reference() {
        pointerCount.incrementAndGet();
    }

    /** Implements ObDereferenceObject: the last reference runs the type's delete procedure. */
    public final void dereference() {
        long left = pointerCount.decrementAndGet();
        if (left == 0) {
            type.deleteProcedure().accept(this);
        } else if (left < 0) {
            throw new IllegalStateException("reference count of " + this + " went below zero");
        }
    }

    public final long pointerCount() {
        return pointerCount.get();
    }

    /** The number of handles open to this object in all handle tables (the system-wide handle count). */
    public final int handleCount() {
        return handleCount.get();
    }

    final int incrementHandleCount() {
        return handleCount.incrementAndGet();
    }

    final int decrementHandleCount() {
        return handleCount.decrementAndGet();
    }

    /** The object's name in the namespace, or null for an unnamed object. */
    public final String name() {
        return name;
    }

    final void setName(String name) {
        this.name = name;
    }

    /**
     * The dispatcher object a wait on a handle to this object waits on (the DISPATCHER_HEADER at the start of the
     * body), or null if the object is not waitable.
     */
    public DispatcherObject waitable() {
        return null;
    }

    @Override
    public String toString() {
        return type.name() + (name == null ? "" : "(" + name + ")") + "@" + Integer.toHexString(System.identityHashCode(this));
    }
}
