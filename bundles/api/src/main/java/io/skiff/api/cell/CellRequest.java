package io.skiff.api.cell;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a cell capability interface ({@link CellVolumes}, {@link CellDomains}, {@link CellSnapshots},
 * {@link CellGuestAgent}) as one request message: its single parameter is the request body, its return type the
 * reply body. The Core calls the interface through a proxy that sends the request to a named cell; the cell
 * implements the interface and a dispatcher registers each method as the handler of its message type. So the
 * compiler, not a string constant, ties the two ends of a call together. An error the cell raises crosses the wire
 * with its kind, code and field and is raised again on the Core as the same {@code SkiffException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CellRequest {

    /** @return the message type on the wire (one of {@link CellProtocol}'s request types) */
    String value();

    /** @return whether the request may change the cell's instances (then the cell reports and refreshes DHCP after it) */
    boolean changes() default true;
}
