package dev.cryo.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cryo.core.LogText;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

/**
 * Echoes every UTF-8 and binary message back to its sender, and logs sessions coming and going.
 * The close reason is the peer's text, so it is escaped and cut before it reaches the log.
 */
@Component
class EchoListener {

	private static final Log logger = LogFactory.getLog(EchoListener.class);

	@EventListener
	void onConnected(CryoSessionConnectedEvent event) {
		logger.info("Session " + event.session().idString() + " connected from " + event.session().remoteAddress());
	}

	@EventListener
	void onText(CryoUtf8MessageEvent event) {
		event.session().sendUtf8(event.text());
	}

	@EventListener
	void onBinary(CryoBinaryMessageEvent event) {
		event.session().sendBinary(event.payload());
	}

	@EventListener
	void onClosed(CryoSessionClosedEvent event) {
		logger.info("Session " + event.session().idString() + " closed: " + event.code() + " "
				+ LogText.escape(event.reason()));
	}

}
