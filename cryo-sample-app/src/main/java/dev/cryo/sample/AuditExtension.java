package dev.cryo.sample;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.cryo.server.Box;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoSession;

/**
 * An extension that records the size of every message in both directions at debug level;
 * payloads are never logged. Enable it with {@code logging.level.dev.cryo.sample.AuditExtension=debug}.
 */
@Component
@Order(10)
class AuditExtension implements CryoExtension {

	private static final Log logger = LogFactory.getLog(AuditExtension.class);

	@Override
	public String name() {
		return "audit";
	}

	@Override
	public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
		audit(session, "received UTF-8", text.get().getBytes(StandardCharsets.UTF_8).length);
		return true;
	}

	@Override
	public boolean beforeSendUtf8(CryoSession session, Box<String> text) {
		audit(session, "sending UTF-8", text.get().getBytes(StandardCharsets.UTF_8).length);
		return true;
	}

	@Override
	public boolean onReceiveBinary(CryoSession session, Box<ByteBuffer> payload) {
		audit(session, "received binary", payload.get().remaining());
		return true;
	}

	@Override
	public boolean beforeSendBinary(CryoSession session, Box<ByteBuffer> payload) {
		audit(session, "sending binary", payload.get().remaining());
		return true;
	}

	private static void audit(CryoSession session, String what, int bytes) {
		if (logger.isDebugEnabled()) {
			logger.debug("Session " + session.idString() + " " + what + ": " + bytes + " bytes");
		}
	}

}
