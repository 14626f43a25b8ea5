package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.util.Assert;

import dev.cryo.server.CryoGroup;
import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionSelector;

/**
 * The {@link CryoGroup} view of a {@link DefaultCryoServer}: a name and a selector, nothing
 * cached, so the view follows the membership index as members come and go.
 */
final class ServerGroup implements CryoGroup {

	private final DefaultCryoServer server;

	private final String name;

	private final SessionSelector selector;

	ServerGroup(DefaultCryoServer server, String name) {
		this(server, name, SessionSelector.group(name));
	}

	private ServerGroup(DefaultCryoServer server, String name, SessionSelector selector) {
		this.server = server;
		this.name = name;
		this.selector = selector;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public SessionSelector selector() {
		return this.selector;
	}

	@Override
	public List<CryoSession> sessions() {
		return this.server.localSessions(this.selector);
	}

	@Override
	public int size() {
		return sessions().size();
	}

	@Override
	public Map<CryoSession, CompletableFuture<Void>> sendUtf8(String text) {
		return this.server.multicastUtf8(this.selector, text).localDeliveries();
	}

	@Override
	public Map<CryoSession, CompletableFuture<Void>> sendBinary(ByteBuffer payload) {
		return this.server.multicastBinary(this.selector, payload).localDeliveries();
	}

	@Override
	public CryoGroup except(CryoSession excluded) {
		Assert.notNull(excluded, "'excluded' must not be null");
		return new ServerGroup(this.server, this.name, this.selector.except(excluded));
	}

	@Override
	public String toString() {
		return "CryoGroup[" + this.selector + "]";
	}

}
