package io.skiff.cell.internal;

import io.skiff.api.cell.CellRequest;
import io.skiff.api.transport.ClusterTransport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cell's end of the typed Core–Cell contract: registers every method of a cell capability interface (e.g.
 * {@link io.skiff.api.cell.CellVolumes}), as implemented by one object, as the transport handler of its
 * {@link CellRequest} message type. The request body is read as the method's parameter type and the return value is
 * the reply. After a request that may change something ({@link CellRequest#changes()}), {@code afterChange} runs
 * (the cell then reports and refreshes DHCP); reads do not trigger it. What the method throws goes back to the Core
 * with its kind, code and field.
 */
final class CapabilityDispatcher {

    private CapabilityDispatcher() {
    }

    /**
     * @return the registrations, to close when the implementation goes away
     * @throws IllegalArgumentException when a method of the capability is not a one-parameter {@link CellRequest}
     */
    static <T> List<ClusterTransport.Registration> register(ClusterTransport transport, Class<T> capability,
                                                            T implementation, Runnable afterChange) {
        return register(transport, capability, implementation, afterChange, sender -> { });
    }

    /** The same, telling {@code sender} the node each request came from (the Core) before it is handled. */
    static <T> List<ClusterTransport.Registration> register(ClusterTransport transport, Class<T> capability,
                                                            T implementation, Runnable afterChange,
                                                            Consumer<String> sender) {
        List<ClusterTransport.Registration> registrations = new ArrayList<>();
        try {
            for (Method method : capability.getMethods()) {
                CellRequest request = method.getAnnotation(CellRequest.class);
                if (request == null || method.getParameterCount() != 1) {
                    throw new IllegalArgumentException(method + " is not a cell request (@CellRequest, one parameter)");
                }
                Class<?> bodyType = method.getParameterTypes()[0];
                boolean changes = request.changes();
                registrations.add(transport.subscribe(request.value(), message -> {
                    sender.accept(message.from());
                    Object reply = invoke(method, implementation, message.body(bodyType));
                    if (changes) {
                        afterChange.run();
                    }
                    return reply;
                }));
            }
        } catch (RuntimeException e) {
            registrations.forEach(ClusterTransport.Registration::close);
            throw e;
        }
        return registrations;
    }

    private static Object invoke(Method method, Object target, Object body) throws Exception {
        try {
            return method.invoke(target, body);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
