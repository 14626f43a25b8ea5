package dev.cryo.server.handler;

import java.nio.ByteBuffer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

/**
 * The handler of last resort: publishes every message it is offered as a
 * {@link CryoUtf8MessageEvent} or {@link CryoBinaryMessageEvent} and claims it. A server puts it
 * after the application's handlers, so {@code @EventListener} methods see every message no
 * handler claimed. A listener that throws is logged; the session goes on.
 */
public final class EventPublishingMessageHandler implements CryoMessageHandler {

	private static final Log logger = LogFactory.getLog(EventPublishingMessageHandler.class);

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates the handler.
	 * @param publisher where the events go
	 */
	public EventPublishingMessageHandler(ApplicationEventPublisher publisher) {
		Assert.notNull(publisher, "'publisher' must not be null");
		this.publisher = publisher;
	}

	@Override
	public boolean handleUtf8(CryoSession session, String text) {
		publish(session, new CryoUtf8MessageEvent(session, text));
		return true;
	}

	/**
	 * Publishes the message as a {@link CryoBinaryMessageEvent} that keeps a view of the payload,
	 * without a copy: a server hands its handlers bytes that nobody changes afterwards (see
	 * {@link CryoMessageHandler#handleBinary}).
	 */
	@Override
	public boolean handleBinary(CryoSession session, ByteBuffer payload) {
		publish(session, new CryoBinaryMessageEvent(session, payload));
		return true;
	}

	private void publish(CryoSession session, ApplicationEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener for " + event.getClass().getSimpleName() + " of Cryo session " + session.idString()
					+ " failed", ex);
		}
	}

}
