package io.skiff.core.internal.cell;

import io.skiff.api.cell.CellRequest;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Core's end of the typed Core–Cell contract: a proxy of a cell capability interface (e.g.
 * {@link io.skiff.api.cell.CellVolumes}) whose methods send their {@link CellRequest} message to one named cell and
 * return its reply, read as the method's return type. What goes wrong comes back as the caller's
 * {@link io.skiff.api.service.SkiffException} (the cell's own kind, code and field, or {@code UNAVAILABLE} when the
 * cell cannot be reached) — the proxy only translates a method call into a request.
 */
public final class CellClients {

    /** Sends one request to a cell and waits for its reply (e.g. {@code CellCalls::call}). */
    @FunctionalInterface
    public interface Caller {
        <R> R call(String cell, String type, Object body, Class<R> reply);
    }

    private final Caller caller;
    private final Map<Method, String> types = new ConcurrentHashMap<>();

    public CellClients(Caller caller) {
        this.caller = Objects.requireNonNull(caller, "caller");
    }

    /**
     * @param capability a cell capability interface, every method of which is a {@link CellRequest} with one parameter
     * @param cell the cell to send to
     * @return a proxy that sends each call to that cell
     */
    public <T> T of(Class<T> capability, String cell) {
        Objects.requireNonNull(cell, "cell");
        if (!capability.isInterface()) {
            throw new IllegalArgumentException(capability + " is not an interface");
        }
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> capability.getSimpleName() + "@" + cell;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            }
            return caller.call(cell, typeOf(method), args == null || args.length == 0 ? null : args[0],
                    method.getReturnType());
        };
        return capability.cast(Proxy.newProxyInstance(capability.getClassLoader(), new Class<?>[] {capability},
                handler));
    }

    /**
     * One request as a method of a capability interface names it, not sent.
     *
     * @param type the request's message type
     * @param body its body
     * @param replyType the type its reply is read as
     */
    public record Call(String type, Object body, Class<?> replyType) {
    }

    /**
     * @param capability a cell capability interface (see {@link #of})
     * @param call calls one method of it
     * @return the request that call makes, captured without sending it (so that it can be sent without waiting)
     */
    public <T> Call capture(Class<T> capability, Consumer<T> call) {
        Call[] captured = new Call[1];
        CellClients recorder = new CellClients(new Caller() {
            @Override
            public <R> R call(String cell, String type, Object body, Class<R> reply) {
                if (reply.isPrimitive() && reply != void.class) {
                    throw new IllegalArgumentException(type + " answers a primitive " + reply
                            + "; it cannot be sent without waiting");
                }
                captured[0] = new Call(type, body, reply);
                return null;
            }
        });
        recorder.types.putAll(types);
        call.accept(recorder.of(capability, "(captured)"));
        if (captured[0] == null) {
            throw new IllegalArgumentException("the call made no request of " + capability.getSimpleName());
        }
        return captured[0];
    }

    private String typeOf(Method method) {
        return types.computeIfAbsent(method, m -> {
            CellRequest request = m.getAnnotation(CellRequest.class);
            if (request == null || m.getParameterCount() > 1) {
                throw new IllegalArgumentException(m + " is not a cell request (@CellRequest, one parameter)");
            }
            return request.value();
        });
    }
}
