package io.skiff.transport.internal;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.Message;
import org.jgroups.UpHandler;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestCorrelator;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.util.MessageBatch;

/**
 * The channel's {@link UpHandler}, in front of the {@link MessageDispatcher}'s: a message with the
 * {@link RequestCorrelator}'s header (a request or a reply of the dispatcher) goes to the dispatcher, every other
 * message (an event; a request or reply of a node running the previous, envelope-correlated transport) to
 * {@code plain}. Events (view changes and the like) go to the dispatcher, which hands view changes to its
 * {@code Receiver}.
 *
 * <p>Needed because JGroups 5.3's dispatcher consumes every message: its protocol adapter passes each one to the
 * correlator, which drops those without its header ({@code RequestCorrelator.receiveMessage} returns {@code false},
 * and {@code MessageDispatcher.ProtocolAdapter.up(Message)} ignores that); a {@code Receiver} set on the dispatcher
 * only sees view changes and state transfer, never a message.
 */
final class PlainMessageSplitter implements UpHandler {
    /** The header id the dispatcher's correlator uses (200, JGroups' {@code Global.BLOCKS_START_ID}). */
    static final short CORRELATOR_ID = ClassConfigurator.getProtocolId(RequestCorrelator.class);

    private final UpHandler dispatcher;
    private final Consumer<Message> plain;

    PlainMessageSplitter(UpHandler dispatcher, Consumer<Message> plain) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.plain = Objects.requireNonNull(plain, "plain");
    }

    /** @return whether the dispatcher sent {@code msg} (a request or reply with the correlator's header) */
    static boolean correlated(Message msg) {
        return msg.getHeader(CORRELATOR_ID) != null;
    }

    @Override
    public UpHandler setLocalAddress(Address a) {
        dispatcher.setLocalAddress(a);
        return this;
    }

    @Override
    public Object up(Event evt) {
        return dispatcher.up(evt);
    }

    @Override
    public Object up(Message msg) {
        if (correlated(msg)) {
            return dispatcher.up(msg);
        }
        plain.accept(msg);
        return null;
    }

    /** Takes the plain messages out of the batch, in their order, and hands what is left to the dispatcher. */
    @Override
    public void up(MessageBatch batch) {
        for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
            Message msg = it.next();
            if (!correlated(msg)) {
                it.remove();
                plain.accept(msg);
            }
        }
        if (!batch.isEmpty()) {
            dispatcher.up(batch);
        }
    }
}
